package gradio

import (
	"encoding/json"
	"math"
	"time"
)

// UpdateKind says what an Update reports.
type UpdateKind string

// The kinds of Update, in the order a job usually produces them.
const (
	// UpdateQueued: the job waits in the queue; Rank, QueueSize and ETA
	// are set (from an "estimation" message).
	UpdateQueued UpdateKind = "queued"
	// UpdateStarted: the function started; ETA is the server's average
	// duration, if known ("process_starts").
	UpdateStarted UpdateKind = "started"
	// UpdateProgress: gr.Progress reported; Progress is set.
	UpdateProgress UpdateKind = "progress"
	// UpdateLog: the function called gr.Info, gr.Warning or gr.Success
	// (or raised a non-fatal gr.Warning); Log is set.
	UpdateLog UpdateKind = "log"
	// UpdateOutput: a generator yielded; Output holds the full outputs
	// with diffs applied ("process_generating"/"process_streaming").
	UpdateOutput UpdateKind = "output"
	// UpdateCompleted: the job ended, always the last update. Output holds
	// the final outputs on success; Err is set otherwise.
	UpdateCompleted UpdateKind = "completed"
)

// Update is one event of a job, as seen on the server's event stream.
type Update struct {
	// Kind says which of the other fields are set.
	Kind UpdateKind `json:"kind"`
	// Time is when the client received the update.
	Time time.Time `json:"time"`
	// Rank is the 0-based position in the queue (UpdateQueued).
	Rank int `json:"rank,omitempty"`
	// QueueSize is the number of jobs in the queue (UpdateQueued).
	QueueSize int `json:"queue_size,omitempty"`
	// ETA estimates the time until the job starts (UpdateQueued) or its
	// duration (UpdateStarted); 0 when the server has no estimate.
	ETA time.Duration `json:"eta,omitempty"`
	// Progress is gr.Progress's state: one entry per nested tracker
	// (UpdateProgress).
	Progress []Progress `json:"progress,omitempty"`
	// Log is a gr.Info/gr.Warning/gr.Success message (UpdateLog).
	Log *Log `json:"log,omitempty"`
	// Output holds the outputs, State slots removed and files as
	// *FileData (UpdateOutput, and UpdateCompleted on success). Values are
	// shared with later updates and the Result: treat them as read-only.
	Output []any `json:"output,omitempty"`
	// Err is why the job failed (UpdateCompleted only): an *AppError,
	// ErrCancelled, ErrConnectionLost, a context error, ...
	Err error `json:"-"`
}

// MarshalJSON encodes the update with Err as an "error" string.
func (u Update) MarshalJSON() ([]byte, error) {
	type plain Update
	v := struct {
		plain
		Error string `json:"error,omitempty"`
	}{plain: plain(u)}
	if u.Err != nil {
		v.Error = u.Err.Error()
	}
	return json.Marshal(v)
}

// Progress is one gr.Progress tracker's state. Either Index and Length (steps
// done and total, from tqdm-style tracking) or Fraction is set.
type Progress struct {
	// Index is the number of steps done, or nil.
	Index *int `json:"index,omitempty"`
	// Length is the total number of steps, or nil when unknown.
	Length *int `json:"length,omitempty"`
	// Unit names the steps ("steps" by default).
	Unit string `json:"unit,omitempty"`
	// Fraction is the progress in [0, 1] when the app sets it directly,
	// or nil.
	Fraction *float64 `json:"progress,omitempty"`
	// Desc is the tracker's description.
	Desc string `json:"desc,omitempty"`
}

// UnmarshalJSON decodes a progress_data entry, accepting fractional step
// counts (rounded down).
func (p *Progress) UnmarshalJSON(b []byte) error {
	var v struct {
		Index    *float64 `json:"index"`
		Length   *float64 `json:"length"`
		Unit     string   `json:"unit"`
		Progress *float64 `json:"progress"`
		Desc     string   `json:"desc"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = Progress{Unit: v.Unit, Fraction: v.Progress, Desc: v.Desc}
	if v.Index != nil {
		n := int(math.Floor(*v.Index))
		p.Index = &n
	}
	if v.Length != nil {
		n := int(math.Floor(*v.Length))
		p.Length = &n
	}
	return nil
}

// Log is a message the app showed with gr.Info, gr.Warning or gr.Success.
type Log struct {
	// Message is the text.
	Message string `json:"message"`
	// Level is "info", "warning", "success" or "error".
	Level string `json:"level"`
	// Title is the toast's title ("Info", "Warning", ...); "" before it
	// existed (Gradio 4.x).
	Title string `json:"title,omitempty"`
	// Duration is how long the UI shows it; 0 when unset or forever.
	Duration time.Duration `json:"duration,omitempty"`
	// Visible is false for messages the UI does not show.
	Visible bool `json:"visible"`
}

// Stage is where a job is in its life.
type Stage string

// The stages of a job.
const (
	// StagePending: submitted, the server has not reported on it yet.
	StagePending Stage = "pending"
	// StageQueued: waiting in the queue.
	StageQueued Stage = "queued"
	// StageProcessing: the function runs.
	StageProcessing Stage = "processing"
	// StageGenerating: a generator has yielded at least once.
	StageGenerating Stage = "generating"
	// StageCompleted: finished successfully.
	StageCompleted Stage = "completed"
	// StageFailed: finished with an error.
	StageFailed Stage = "failed"
	// StageCancelled: finished because it was cancelled.
	StageCancelled Stage = "cancelled"
)

// Status is a snapshot of a job's state, as Job.Status returns it.
type Status struct {
	// Stage is the job's stage.
	Stage Stage `json:"stage"`
	// Rank, QueueSize and ETA are the last queue estimate (see Update).
	Rank      int           `json:"rank"`
	QueueSize int           `json:"queue_size"`
	ETA       time.Duration `json:"eta,omitempty"`
	// Progress is the last gr.Progress state, or nil.
	Progress []Progress `json:"progress,omitempty"`
	// Time is when the last update arrived (or the job was submitted).
	Time time.Time `json:"time"`
}

// seconds converts a nullable number of seconds to a duration (0 for nil).
func seconds(f *float64) time.Duration {
	if f == nil || math.IsNaN(*f) || math.IsInf(*f, 0) || *f < 0 {
		return 0
	}
	return time.Duration(*f * float64(time.Second))
}
