package gradio

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// login posts the credentials to <root>/login (form fields username and
// password, as the official clients do). On success the server sets an
// access-token cookie, which the client's cookie jar keeps.
func (c *Client) login(ctx context.Context) error {
	form := url.Values{"username": {c.user}, "password": {c.pass}}
	u := c.root + "/login"
	req, err := c.newRequest(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.do(c.hc, req, false, c.limits.read)
	if err != nil {
		return fmt.Errorf("login as %q: %w", c.user, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case resp.StatusCode == http.StatusOK:
		c.loggedIn = true
		return nil
	case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized:
		// Gradio answers 400 {"detail": "Incorrect credentials."}.
		return wrapSentinel(ErrUnauthorized, httpError(req, resp, body), "login refused for user %q: wrong credentials", c.user)
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed:
		return fmt.Errorf("login as %q: the app has no login (it was launched without auth): %w", c.user, httpError(req, resp, body))
	default:
		if err := c.authStatus(resp, body); err != nil {
			return err
		}
		return fmt.Errorf("login as %q: %w", c.user, httpError(req, resp, body))
	}
}
