package recorder

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"slices"
	"strings"

	"github.com/gradiorec/gradiorec/recording"
)

// fileSink receives a fetched file: it counts and hashes every byte and
// keeps them while they fit in limit.
type fileSink struct {
	buf   bytes.Buffer
	hash  hash.Hash
	n     int64
	limit int64
}

func newFileSink(limit int64) *fileSink { return &fileSink{limit: limit, hash: sha256.New()} }

func (s *fileSink) Write(p []byte) (int, error) {
	s.n += int64(len(p))
	s.hash.Write(p)
	if s.n <= s.limit {
		s.buf.Write(p)
	} else {
		s.buf = bytes.Buffer{} // too big: count and hash the rest only
	}
	return len(p), nil
}

// over reports whether the file was larger than the limit.
func (s *fileSink) over() bool { return s.n > s.limit }

// sum returns the SHA-256 of every byte written, in lower-case hex.
func (s *fileSink) sum() string { return hex.EncodeToString(s.hash.Sum(nil)) }

// fixtures holds the fixture files of a recording. They go through
// (*recording.Recording).AddFile, which names them and holds their bytes
// until recording.Save writes them, or AddFileHash for outputs too large to
// keep.
type fixtures struct {
	rec    *recording.Recording                // holds Files and the bytes
	bytes  map[string][]byte                   // fixture name → bytes (stored fixtures only)
	byPath map[string]string                   // server path → fixture name
	onAdd  func(data []byte, f recording.File) // sees every new or changed entry (data nil when not stored); nil: nobody
}

func newFixtures() *fixtures {
	return &fixtures{rec: &recording.Recording{}, bytes: map[string][]byte{}, byPath: map[string]string{}}
}

// add registers a file and returns its fixture name; one entry per
// content.
func (f *fixtures) add(data []byte, origName, mimeType, role string) string {
	before := slices.Clone(f.rec.Files)
	e := f.rec.AddFile(data, origName, mimeType, role)
	f.bytes[e.Name] = data
	if f.onAdd != nil && !slices.Equal(before, f.rec.Files) {
		f.onAdd(data, e)
	}
	return e.Name
}

// addHash registers a file known by hash and size only, its bytes not kept
// (an output above the size limit), and returns its fixture name; one entry
// per content.
func (f *fixtures) addHash(sha256Hex string, size int64, origName, mimeType, role string) string {
	before := slices.Clone(f.rec.Files)
	e := f.rec.AddFileHash(sha256Hex, size, origName, mimeType, role)
	if f.onAdd != nil && !slices.Equal(before, f.rec.Files) {
		f.onAdd(nil, e)
	}
	return e.Name
}

// fetchInputs downloads the input files of a call that are not fixtures
// yet: files the page did not upload (an example's file, already on the
// server) or whose upload the source could not read. The call settles after
// them.
func (c *capture) fetchInputs(cs *callState) {
	for _, raw := range cs.call.Data {
		if !strings.Contains(string(raw), `"path"`) {
			continue
		}
		v, err := decodeValue(raw)
		if err != nil {
			continue
		}
		walkFiles(v, func(fd map[string]any) {
			p := fd["path"].(string)
			if _, ok := c.files.byPath[p]; ok {
				return
			}
			if waiters, ok := c.fetching[p]; ok {
				c.fetching[p] = append(waiters, cs)
				cs.waiting++
				return
			}
			if c.fetch == nil || c.stopped {
				return
			}
			c.fetching[p] = []*callState{cs}
			cs.waiting++
			c.download(p, fileSource(fd, c.app.apiBase()), fileName(fd), recording.RoleInput, 1<<62)
		})
	}
}

// fetchOutputs starts downloading the files of a call's final outputs that
// are not fixtures yet.
func (c *capture) fetchOutputs(cs *callState) {
	if c.fetch == nil || c.stopped {
		return
	}
	for _, raw := range cs.call.Outputs {
		if !strings.Contains(string(raw), `"path"`) {
			continue
		}
		v, err := decodeValue(raw)
		if err != nil {
			continue
		}
		walkFiles(v, func(fd map[string]any) {
			p := fd["path"].(string)
			if _, ok := c.files.byPath[p]; ok {
				return
			}
			cs.waiting++
			if waiters, ok := c.fetching[p]; ok {
				c.fetching[p] = append(waiters, cs)
				return
			}
			c.fetching[p] = []*callState{cs}
			c.download(p, fileSource(fd, c.app.apiBase()), fileName(fd), recording.RoleOutput, c.maxFileSize)
		})
	}
}

// download fetches a file in a goroutine of its own; fileFetched takes the
// result.
func (c *capture) download(serverPath, src, name, role string, limit int64) {
	c.downloads.Add(1)
	go func() {
		defer c.downloads.Done()
		sink := newFileSink(limit)
		mimeType, err := c.fetch(c.ctx, src, sink)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.fileFetched(serverPath, name, role, mimeType, sink, err)
	}()
}

// fileFetched registers a downloaded file and settles the calls that waited
// for it.
func (c *capture) fileFetched(serverPath, name, role, mimeType string, sink *fileSink, err error) {
	switch {
	case err != nil:
		c.logf("recorder: %s: %v; not recorded as a fixture", name, err)
	case sink.over():
		// Listed by hash and size, so replay can still compare it.
		c.logf("recorder: %s is %d bytes, over the %d-byte limit (WithMaxFileSize); recorded by hash and size only", name, sink.n, sink.limit)
		c.files.byPath[serverPath] = c.files.addHash(sink.sum(), sink.n, name, mimeType, role)
	default:
		data := sink.buf.Bytes()
		if data == nil {
			data = []byte{}
		}
		c.files.byPath[serverPath] = c.files.add(data, name, mimeType, role)
	}
	waiters := c.fetching[serverPath]
	delete(c.fetching, serverPath)
	for _, cs := range waiters {
		c.annotateCall(cs)
		if cs.waiting--; cs.waiting == 0 && cs.finished {
			c.settle(cs)
		}
	}
	c.touch()
}

// uploadAnswered turns an upload's files into input fixtures, keyed by the
// server paths the answer lists.
func (c *capture) uploadAnswered(r *request, body []byte) {
	c.uploading--
	c.touch()
	if r.status != 200 {
		return
	}
	var paths []string
	if json.Unmarshal(body, &paths) != nil {
		return
	}
	for i, p := range paths {
		if i < len(r.parts) && len(r.parts) == len(paths) {
			part := r.parts[i]
			c.files.byPath[p] = c.files.add(part.data, part.name, part.mime, recording.RoleInput)
			continue
		}
		// The source had no body: fetch the file back from the server.
		if _, ok := c.fetching[p]; !ok && c.fetch != nil {
			c.fetching[p] = nil
			c.download(p, c.app.apiBase()+"/file="+p, baseName(p), recording.RoleInput, 1<<62)
		}
	}
	for _, cs := range c.calls {
		if !cs.settled {
			c.annotateCall(cs)
		}
	}
}

// baseName returns the last element of a server path.
func baseName(p string) string { return p[strings.LastIndexAny(p, `/\`)+1:] }

// annotateCall adds fixture keys to the FileData values of a call.
func (c *capture) annotateCall(cs *callState) {
	byPath := c.files.byPath
	if len(byPath) == 0 {
		return
	}
	call := &cs.call
	for i := range call.Data {
		call.Data[i] = annotate(call.Data[i], byPath)
	}
	for i := range call.Inputs {
		call.Inputs[i].Value = annotate(call.Inputs[i].Value, byPath)
	}
	for i := range call.Outputs {
		call.Outputs[i] = annotate(call.Outputs[i], byPath)
	}
	// Updates get new slices: events share the old ones (see copyCall).
	updates := make([][]json.RawMessage, len(call.Updates))
	for j, u := range call.Updates {
		updates[j] = make([]json.RawMessage, len(u))
		for i := range u {
			updates[j][i] = annotate(u[i], byPath)
		}
	}
	if call.Updates != nil {
		call.Updates = updates
	}
}

// fixture returns the bytes of a stored fixture.
func (c *capture) fixture(name string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.files.bytes[name]
	return b, ok
}
