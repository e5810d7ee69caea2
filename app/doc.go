// Package app is the desktop application: thin services over recorder,
// codegen, replay and recording, bound to the Wails frontend. It is the only
// package that imports the Wails runtime.
package app
