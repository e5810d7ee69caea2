package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gradiorec/gradiorec/gradio"
)

// explain turns the Go client's error for an app that needs a login nobody
// gave (which names its Go option, WithAuth) into one that names the
// command's flag and variable. Other errors pass unchanged.
func (l *loginFlags) explain(err error, app string) error {
	if err == nil || !errors.Is(err, gradio.ErrUnauthorized) {
		return err
	}
	if msg := l.loginHint(err.Error(), app); msg != "" {
		return &exitError{code: ExitError, err: errors.New(msg)}
	}
	return err
}

// loginHint is explain for an error's text (a replay report's): the
// message naming the flag and variable when msg says the app needs a login
// nobody gave, else "".
func (l *loginFlags) loginHint(msg, app string) string {
	if !strings.Contains(msg, "requires a login") {
		return ""
	}
	if user, _ := l.credentials(); user != "" {
		return ""
	}
	out := fmt.Sprintf("%s needs a login: give the user with --user NAME (or $GRADIO_USER) and the password in $%s", app, l.passwordEnv)
	if _, says, ok := strings.Cut(msg, "the app says: "); ok {
		out += "\nthe app says: " + says
	}
	return out
}
