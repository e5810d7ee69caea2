package cli

import (
	"context"
	"flag"
	"os"
	"time"

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

// connectHelp describes the flags of connectFlags, for the help of the
// commands that use them.
const connectHelp = `flags of the connection:
  --token T              a Hugging Face token, sent to the app whatever its host
  --token-to-any-host    send $HF_TOKEN to any app; without it, it goes only to
                         Hugging Face hosts over https (huggingface.co, *.hf.space)
  --user U               log in as U (default $GRADIO_USER); the password is read
  --password-env NAME    from the environment variable NAME (default GRADIO_PASSWORD)
  --connect-timeout D    give up on a request without connection or response
                         headers after D (default 10s; 0: no limit)
  --read-timeout D       give up when the app sends nothing for D (default 60s; the
                         event stream has a heartbeat every 15s; 0: no limit)
  --max-message-size N   fail on one event or response larger than N (default 64MiB)`

// connectFlags are the flags of every command that talks to a live app with
// the Go client: credentials and limits.
type connectFlags struct {
	token          string
	tokenAnyHost   bool
	connectTimeout time.Duration
	readTimeout    time.Duration
	maxMessage     sizeFlag
	loginFlags
}

func (c *connectFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.token, "token", "", "Hugging Face token, sent to the app whatever its host (default: $HF_TOKEN, sent only to Hugging Face hosts)")
	fs.BoolVar(&c.tokenAnyHost, "token-to-any-host", false, "send $HF_TOKEN to an app that is not on a Hugging Face host (huggingface.co, *.hf.space) too")
	fs.DurationVar(&c.connectTimeout, "connect-timeout", gradio.DefaultConnectTimeout, "give up on a request without connection or response headers after this long (0: no limit)")
	fs.DurationVar(&c.readTimeout, "read-timeout", gradio.DefaultReadTimeout, "give up on a response or event stream that sends nothing for this long (0: no limit)")
	fs.Var(&c.maxMessage, "max-message-size", "fail on one server-sent event or response larger than this `size` (default 64MiB; 0: no limit)")
	c.loginFlags.register(fs)
}

// options turns the flags and environment into client options. A token
// given with --token goes to the app whatever its host; one from $HF_TOKEN
// only to Hugging Face hosts, unless --token-to-any-host says otherwise, so
// that a URL from a shared recording cannot collect it.
func (c *connectFlags) options() ([]gradio.Option, error) {
	switch {
	case c.connectTimeout < 0:
		return nil, usagef("--connect-timeout %s is negative (0 means no limit)", c.connectTimeout)
	case c.readTimeout < 0:
		return nil, usagef("--read-timeout %s is negative (0 means no limit)", c.readTimeout)
	}
	opts := []gradio.Option{gradio.WithConnectTimeout(c.connectTimeout), gradio.WithReadTimeout(c.readTimeout)}
	if c.maxMessage.set {
		opts = append(opts, gradio.WithMaxMessageSize(c.maxMessage.n))
	}
	switch env := os.Getenv("HF_TOKEN"); {
	case c.token != "":
		opts = append(opts, gradio.WithToken(c.token))
	case env != "" && c.tokenAnyHost:
		opts = append(opts, gradio.WithToken(env))
	case env != "":
		opts = append(opts, gradio.WithAmbientToken(env))
	}
	if user, password := c.credentials(); user != "" {
		opts = append(opts, gradio.WithAuth(user, password))
	}
	return opts, nil
}

func (c *connectFlags) connect(ctx context.Context, src string) (*gradio.Client, error) {
	opts, err := c.options()
	if err != nil {
		return nil, err
	}
	client, err := gradio.Connect(ctx, src, opts...)
	return client, c.explain(err, src) // names --user and the password variable
}
