package cli

import (
	"context"
	"flag"
	"os"

	"github.com/gradiorec/gradiorec/gradio"
)

// connectFlags are the flags of every command that talks to a live app.
type connectFlags struct {
	token       string
	user        string
	passwordEnv string
}

func (c *connectFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.token, "token", "", "Hugging Face token (default: $HF_TOKEN)")
	fs.StringVar(&c.user, "user", "", "username for an app behind a login (default: $GRADIO_USER)")
	fs.StringVar(&c.passwordEnv, "password-env", "GRADIO_PASSWORD", "environment variable holding the login password")
}

// options turns the flags and environment into client options. Secrets come
// from the environment, so they stay out of shell history and process lists.
func (c *connectFlags) options() []gradio.Option {
	var opts []gradio.Option
	token := c.token
	if token == "" {
		token = os.Getenv("HF_TOKEN")
	}
	if token != "" {
		opts = append(opts, gradio.WithToken(token))
	}
	user := c.user
	if user == "" {
		user = os.Getenv("GRADIO_USER")
	}
	if user != "" {
		opts = append(opts, gradio.WithAuth(user, os.Getenv(c.passwordEnv)))
	}
	return opts
}

func (c *connectFlags) connect(ctx context.Context, src string) (*gradio.Client, error) {
	return gradio.Connect(ctx, src, c.options()...)
}
