module github.com/slakit/slakit

go 1.24
