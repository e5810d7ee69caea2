module github.com/gradiorec/gradiorec

go 1.26
