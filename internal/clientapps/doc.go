// Package clientapps holds the tests of the Go client (package gradio)
// against real Gradio apps of the test bed, on every pinned version, and its
// parity with the official Python client. They live here, in the gradiorec
// module, because they need its test bed (internal/gradiotest); the gradio
// module, which generated Go code requires, depends on nothing but the
// standard library.
package clientapps
