package backend

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

// request answers one of the side panel's requests (docs/extension-protocol.md).
func (b *Backend) request(p *relay.Peer, t string, m message) {
	var result any
	var err error
	switch t {
	case "status":
		result = b.status(p)
	case "code":
		result, err = b.code(p, m)
	case "export":
		result, err = b.export(p, m.Rec)
	case "replay":
		result, err = b.replay(p, m.Rec)
	}
	_ = p.Reply(m.Req, result, err)
}

// recordingStatus is one recording in a status reply.
type recordingStatus struct {
	Rec    string `json:"rec"`
	Path   string `json:"path"`
	Calls  int    `json:"calls"`
	Active bool   `json:"active"`
}

func (b *Backend) status(p *relay.Peer) any {
	b.mu.Lock()
	var list []recordingStatus
	for k, e := range b.recs {
		if k.peer != p {
			continue
		}
		e.mu.Lock()
		list = append(list, recordingStatus{Rec: e.rec, Path: e.path, Calls: e.calls, Active: e.active})
		e.mu.Unlock()
	}
	b.mu.Unlock()
	return map[string]any{"dir": b.cfg.Dir, "recordings": list}
}

// recording returns a recording as it stands: the live one's calls so far,
// or the saved one (with its files folder, for exports).
func (b *Backend) recording(p *relay.Peer, rec string) (doc *recording.Recording, live bool, err error) {
	e := b.entry(p, rec)
	if e == nil {
		return nil, false, fmt.Errorf("no recording %q on this connection", rec)
	}
	e.mu.Lock()
	sess, active := e.sess, e.active
	e.mu.Unlock()
	switch {
	case active && sess != nil:
		return sess.Recorder().Snapshot(), true, nil
	case active:
		return nil, true, errors.New("the recording has not started yet: open the Gradio app in the tab")
	}
	doc, err = recording.Load(e.path)
	if err != nil {
		return nil, false, fmt.Errorf("read the saved recording: %w", err)
	}
	return doc, false, nil
}

// code generates the code of a recording in one language.
func (b *Backend) code(p *relay.Peer, m message) (any, error) {
	lang, err := codegen.ParseLang(m.Lang)
	if err != nil {
		return nil, err
	}
	flavour := codegen.Script
	if m.Flavour == string(codegen.Test) {
		flavour = codegen.Test
	}
	doc, _, err := b.recording(p, m.Rec)
	if err != nil {
		return nil, err
	}
	files, err := codegen.Generate(doc, codegen.Options{Lang: lang, Flavour: flavour})
	if err != nil {
		return nil, err
	}
	return map[string]any{"lang": lang, "code": string(files[0].Content)}, nil
}

// export writes the saved recording's tests in every language, each a
// runnable project with its fixtures, into <recording>-export/<lang>.
func (b *Backend) export(p *relay.Peer, rec string) (any, error) {
	doc, live, err := b.recording(p, rec)
	if err != nil {
		return nil, err
	}
	if live {
		return nil, errors.New("stop the recording first: an export is made from the saved recording")
	}
	e := b.entry(p, rec)
	dir := strings.TrimSuffix(e.path, filepath.Ext(e.path)) + "-export"
	for _, lang := range codegen.Langs {
		project, err := codegen.Export(doc, codegen.Options{Lang: lang, Flavour: codegen.Test})
		if err != nil {
			return nil, err
		}
		if err := project.Write(filepath.Join(dir, string(lang)), doc, codegen.ReplaceFiles()); err != nil {
			return nil, err
		}
	}
	b.cfg.Logf("exported %s to %s", e.path, dir)
	return map[string]any{"dir": dir}, nil
}

// replay replays the saved recording against its app.
func (b *Backend) replay(p *relay.Peer, rec string) (any, error) {
	doc, live, err := b.recording(p, rec)
	if err != nil {
		return nil, err
	}
	if live {
		return nil, errors.New("stop the recording first: a replay checks the saved recording against the app")
	}
	ctx, cancel := context.WithTimeout(context.Background(), replayLimit)
	defer cancel()
	var out bytes.Buffer
	rep, err := replay.Run(ctx, doc, replay.Options{CallTimeout: replay.DefaultCallTimeout, OnCall: func(c replay.CallResult) {
		if c.Status != replay.Passed && c.Status != replay.Skipped {
			replay.Plain.WriteCall(&out, c)
		}
	}})
	if err != nil {
		return nil, err
	}
	rep.WriteSummary(&out, replay.Plain)
	n := rep.Count()
	return map[string]any{"passed": n[replay.Passed], "failed": len(rep.Calls) - n[replay.Passed] - n[replay.Skipped],
		"outcome": rep.Outcome, "report": out.String()}, nil
}

// replayLimit bounds a replay the side panel asks for.
const replayLimit = 10 * time.Minute
