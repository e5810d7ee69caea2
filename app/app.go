package app

import (
	"context"

	"github.com/gradiorec/gradiorec/cli"
)

// App holds the desktop app's services and their shared life cycle.
type App struct {
	ctx context.Context
}

// New returns the desktop app's services, not yet started.
func New() *App { return &App{} }

// Startup receives the window's context; Wails calls it once the window exists.
func (a *App) Startup(ctx context.Context) { a.ctx = ctx }

// Shutdown ends whatever the services started; Wails calls it as the window closes.
func (a *App) Shutdown(context.Context) {}

// Services returns the structs whose exported methods the frontend may call.
func (a *App) Services() []any { return []any{a} }

// Version returns gradiorec's version, shown in the window's title bar.
func (a *App) Version() string { return cli.Version }
