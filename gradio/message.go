package gradio

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The msg values of the queue/data stream (gradio_client's ServerMessage).
const (
	msgEstimation        = "estimation"
	msgProcessStarts     = "process_starts"
	msgProgress          = "progress"
	msgLog               = "log"
	msgProcessGenerating = "process_generating"
	msgProcessStreaming  = "process_streaming"
	msgProcessCompleted  = "process_completed"
	msgHeartbeat         = "heartbeat"
	msgCloseStream       = "close_stream"
	msgUnexpectedError   = "unexpected_error"
)

// message is one event of the queue/data stream. Fields not used by a msg
// kind stay zero.
type message struct {
	Msg     string `json:"msg"`
	EventID string `json:"event_id"`

	// estimation
	Rank      *int     `json:"rank"`
	QueueSize *int     `json:"queue_size"`
	RankETA   *float64 `json:"rank_eta"`
	// process_starts
	ETA *float64 `json:"eta"`
	// progress
	ProgressData []Progress `json:"progress_data"`
	// log
	Log      string   `json:"log"`
	Level    string   `json:"level"`
	Duration *float64 `json:"duration"`
	Visible  *bool    `json:"visible"`
	Title    string   `json:"title"`
	// process_generating, process_streaming, process_completed
	Output  *output `json:"output"`
	Success *bool   `json:"success"`
	// unexpected_error
	Message         string `json:"message"`
	SessionNotFound bool   `json:"session_not_found"`
}

// output is the output object of a completed or generating event, and the
// body of a /run response. Data is nil when the object has no "data" (the
// output of a cancelled event is {}).
type output struct {
	Data            []any           `json:"data"`
	Error           json.RawMessage `json:"error"`
	Title           string          `json:"title"`
	IsGenerating    bool            `json:"is_generating"`
	Duration        *float64        `json:"duration"`
	AverageDuration *float64        `json:"average_duration"`
	ChangedStateIDs []int           `json:"changed_state_ids"`
}

// decodeJSON decodes b into v in one pass; numbers become float64 or, with
// useNumber, json.Number.
func decodeJSON(b []byte, v any, useNumber bool) error {
	if !useNumber {
		return json.Unmarshal(b, v)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

// decodeMessage parses one data payload of the stream, including its output.
func decodeMessage(b []byte, useNumber bool) (*message, error) {
	m := new(message)
	if err := decodeJSON(b, m, useNumber); err != nil {
		return nil, fmt.Errorf("decode stream message %.200q: %w", b, err)
	}
	return m, nil
}

// appError builds the error of a failed output (Gradio's error_payload).
func (o *output) appError(fallbackTitle string) *AppError {
	e := &AppError{Title: o.Title}
	if e.Title == "" {
		e.Title = fallbackTitle
	}
	if len(o.Error) > 0 && string(o.Error) != "null" {
		var s string
		if json.Unmarshal(o.Error, &s) == nil {
			e.Message = s
		} else {
			e.Message = string(o.Error)
		}
	}
	return e
}
