//go:build desktop || dev

// The gradiorec desktop app: a Wails window over package app. Build it with
// `make app`; the logic lives in app/ and the packages it adapts.
//
//	gradiorec-desktop [RECORDING.json | FILE.har]
package main

import (
	"embed"
	"io/fs"
	"log"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"github.com/gradiorec/gradiorec/app"
)

//go:embed all:frontend/dist
var dist embed.FS

func main() {
	assets, err := fs.Sub(dist, "frontend/dist")
	if err != nil {
		log.Fatal(err)
	}
	opts, err := app.ParseArgs(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	a := app.New(opts)
	err = wails.Run(&options.App{
		Title:            "gradiorec " + a.Version(),
		Width:            1280,
		Height:           860,
		MinWidth:         960,
		MinHeight:        640,
		AssetServer:      &assetserver.Options{Assets: assets, Handler: a.Assets()},
		BackgroundColour: &options.RGBA{R: 255, G: 255, B: 255, A: 255},
		OnStartup:        a.Startup,
		OnShutdown:       a.Shutdown,
		Bind:             a.Services(),
		// Recordings and HAR files dropped on the window open (Files.Drop).
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
	})
	if err != nil {
		log.Fatal(err)
	}
}
