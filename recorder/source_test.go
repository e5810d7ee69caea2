package recorder

import "testing"

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		method, url string
		want        requestKind
	}{
		{"POST", "http://h/gradio_api/queue/join?", kindJoin},
		{"POST", "http://h/queue/join", kindJoin},
		{"POST", "http://h/sub/app/gradio_api/queue/join?x=1", kindJoin},
		{"GET", "http://h/gradio_api/queue/data?session_hash=abc", kindData},
		{"GET", "http://h/queue/data?session_hash=abc", kindData},
		{"POST", "http://h/gradio_api/run/predict", kindRun},
		{"POST", "http://h/run/predict/", kindRun},
		{"POST", "http://h/gradio_api/upload?upload_id=x", kindUpload},
		{"GET", "http://h/gradio_api/upload_progress?upload_id=x", kindOther},
		{"POST", "http://h/gradio_api/cancel", kindCancel},
		{"POST", "http://h/gradio_api/reset", kindOther},
		{"GET", "http://h/gradio_api/heartbeat/abc", kindOther},
		{"GET", "http://h/gradio_api/queue/join", kindOther},
		{"POST", "http://h/gradio_api/run/predict/extra", kindOther},
		{"POST", "http://h/login", kindOther},
		{"GET", "data:text/plain,queue/data", kindOther},
	} {
		if got := classify(tc.method, tc.url); got != tc.want {
			t.Errorf("classify(%s %s) = %d, want %d", tc.method, tc.url, got, tc.want)
		}
	}
}
