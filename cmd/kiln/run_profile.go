package main

import (
	"fmt"
	"io"
	"os"

	"github.com/kilnrt/kiln"
)

// startProfile creates the --profile file and a started profiler; finish
// stops it and writes the profile (reporting a failure on stderr).
func startProfile(path, program string, stderr io.Writer) (*kiln.Profiler, func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	p := kiln.NewProfiler(0)
	if err := p.Start(); err != nil {
		f.Close()
		return nil, nil, err
	}
	finish := func() {
		p.Stop()
		err := p.WriteProfile(f, program)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			fmt.Fprintf(stderr, "kiln run: --profile: %v\n", err)
		}
	}
	return p, finish, nil
}
