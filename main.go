//go:build desktop || dev

// The gradiorec desktop app: a Wails window over package app. Build it with
// `make app`; the logic lives in app/ and the packages it adapts.
package main

import (
	"embed"
	"log"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"github.com/gradiorec/gradiorec/app"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	a := app.New()
	err := wails.Run(&options.App{
		Title:            "gradiorec",
		Width:            1280,
		Height:           860,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 255, G: 255, B: 255, A: 255},
		OnStartup:        a.Startup,
		OnShutdown:       a.Shutdown,
		Bind:             a.Services(),
	})
	if err != nil {
		log.Fatal(err)
	}
}
