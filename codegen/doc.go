// Package codegen turns a recording.Recording into client code: Python
// (gradio_client), JavaScript (@gradio/client), Go (package gradio) and cURL,
// as scripts or tests. Generators are pure functions of the recording.
package codegen
