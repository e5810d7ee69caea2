package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
)

// maxRecent is how many recent URLs the URL bar offers.
const maxRecent = 10

func recentPath(configDir string) string { return filepath.Join(configDir, "recent.json") }

// loadRecent reads the recent URLs; a missing or unreadable file is no
// URLs.
func loadRecent(configDir string) []string {
	data, err := os.ReadFile(recentPath(configDir))
	if err != nil {
		return nil
	}
	var urls []string
	if json.Unmarshal(data, &urls) != nil {
		return nil
	}
	return urls
}

// remember puts u first in the recent URLs and saves them, under a.mu.
func (a *App) remember(u string) {
	a.recent = slices.DeleteFunc(a.recent, func(x string) bool { return x == u })
	a.recent = append([]string{u}, a.recent...)
	if len(a.recent) > maxRecent {
		a.recent = a.recent[:maxRecent]
	}
	data, _ := json.MarshalIndent(a.recent, "", "  ")
	dir := a.configDir()
	err := os.MkdirAll(dir, 0o755)
	if err == nil {
		err = os.WriteFile(recentPath(dir), append(data, '\n'), 0o644)
	}
	if err != nil {
		a.opts.Logf("save the recent URLs: %v", err)
	}
}
