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
	if err == nil || !errors.Is(err, gradio.ErrUnauthorized) || !strings.Contains(err.Error(), "requires a login") {
		return err
	}
	if user, _ := l.credentials(); user != "" {
		return err
	}
	msg := fmt.Sprintf("%s needs a login: give the user with --user NAME (or $GRADIO_USER) and the password in $%s", app, l.passwordEnv)
	if _, says, ok := strings.Cut(err.Error(), "the app says: "); ok {
		msg += "\nthe app says: " + says
	}
	return &exitError{code: ExitError, err: errors.New(msg)}
}
