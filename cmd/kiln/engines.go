package main

import (
	"fmt"
	"strings"

	"github.com/kilnrt/kiln"
)

// engine is one execution engine the CLI can select with --engine. Each
// adjusts the runtime configuration it is built with; every
// kiln.Engine this build has is one entry, and every command that takes
// --engine (run, bench, compile, wast) accepts it.
type engine struct {
	name    string
	aliases []string
	// configure selects the engine in a runtime configuration.
	configure func(*kiln.RuntimeConfig)
}

// engines lists the engines of this build, the default (the
// interpreter) first.
var engines = buildEngines()

func buildEngines() []engine {
	var out []engine
	for _, e := range []kiln.Engine{kiln.EngineInterpreter, kiln.EngineAuto, kiln.EngineJIT, kiln.EngineBaseline, kiln.EngineOptimizing} {
		if e.Available() != nil {
			continue
		}
		ng := engine{name: e.String(), configure: func(c *kiln.RuntimeConfig) { c.Engine = e }}
		if e == kiln.EngineInterpreter {
			ng.aliases = []string{"interp"}
		}
		out = append(out, ng)
	}
	return out
}

// engineNames is the list shown in help and errors.
func engineNames() string {
	names := make([]string, len(engines))
	for i, e := range engines {
		names[i] = e.name
	}
	return strings.Join(names, ", ")
}

// lookupEngine finds an engine by name or alias.
func lookupEngine(name string) (engine, error) {
	for _, e := range engines {
		if e.name == name {
			return e, nil
		}
		for _, a := range e.aliases {
			if a == name {
				return e, nil
			}
		}
	}
	if e, err := kiln.ParseEngine(name); err == nil && name != "" {
		// A kiln engine this build does not have: say why.
		return engine{}, fmt.Errorf("%w (available in this build: %s)", e.Available(), engineNames())
	}
	return engine{}, fmt.Errorf("unknown engine %q (available in this build: %s)", name, engineNames())
}

// engineList is a repeatable --engine flag taking comma-separated names;
// a name given twice counts once.
type engineList struct{ list *[]engine }

func (f engineList) String() string { return "" }

func (f engineList) Set(v string) error {
	for _, name := range strings.Split(v, ",") {
		e, err := lookupEngine(strings.TrimSpace(name))
		if err != nil {
			return err
		}
		dup := false
		for _, have := range *f.list {
			dup = dup || have.name == e.name
		}
		if !dup {
			*f.list = append(*f.list, e)
		}
	}
	return nil
}
