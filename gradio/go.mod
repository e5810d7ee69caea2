module github.com/gradiorec/gradiorec/gradio

go 1.23
