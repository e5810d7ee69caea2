package cli

import (
	"context"
	"flag"
	"os"

	"github.com/gradiorec/gradiorec/gradio"
)

// loginFlags are the flags of an app behind a login (launch(auth=…)), shared
// by every command that opens an app. The password comes from the
// environment only, so it stays out of shell history and process lists.
type loginFlags struct {
	user        string
	passwordEnv string
}

func (l *loginFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.user, "user", "", "username for an app behind a login (default: $GRADIO_USER)")
	fs.StringVar(&l.passwordEnv, "password-env", "GRADIO_PASSWORD", "environment variable holding the login password")
}

// credentials returns the user (from --user, else $GRADIO_USER; "" for no
// login) and the password (from the variable --password-env names).
func (l *loginFlags) credentials() (user, password string) {
	user = l.user
	if user == "" {
		user = os.Getenv("GRADIO_USER")
	}
	if user == "" {
		return "", ""
	}
	return user, os.Getenv(l.passwordEnv)
}

// connectFlags are the flags of every command that talks to a live app with
// the Go client.
type connectFlags struct {
	token string
	loginFlags
}

func (c *connectFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.token, "token", "", "Hugging Face token (default: $HF_TOKEN)")
	c.loginFlags.register(fs)
}

// options turns the flags and environment into client options.
func (c *connectFlags) options() []gradio.Option {
	var opts []gradio.Option
	token := c.token
	if token == "" {
		token = os.Getenv("HF_TOKEN")
	}
	if token != "" {
		opts = append(opts, gradio.WithToken(token))
	}
	if user, password := c.credentials(); user != "" {
		opts = append(opts, gradio.WithAuth(user, password))
	}
	return opts
}

func (c *connectFlags) connect(ctx context.Context, src string) (*gradio.Client, error) {
	client, err := gradio.Connect(ctx, src, c.options()...)
	return client, c.explain(err, src)
}
