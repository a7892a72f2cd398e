package decoder

import "github.com/kilnrt/kiln/wasm"

// maxLocals bounds the number of locals of a function, parameters
// excluded: the binary format counts them with a u32.
const maxLocals = 1<<32 - 1

func (d *decoder) codeSection() error {
	c := &d.c
	n, err := c.length()
	if err != nil {
		return err
	}
	d.m.Codes = make([]wasm.Code, 0, d.c.capacity(n, 3))
	for i := 0; i < n; i++ {
		d.m.Codes = append(d.m.Codes, zero[wasm.Code]())
		size, err := c.length()
		if err != nil {
			return err
		}
		start := c.pos
		if err := d.code(&d.m.Codes[i], start+size); err != nil {
			return err
		}
		if c.pos != start+size {
			return c.fail(start, msgSectionSize)
		}
	}
	return nil
}

// code reads one function body: local declarations, then instructions up
// to the end that closes the function (or, for DecodeValidated, up to
// limit, the end of the body's declared size).
func (d *decoder) code(code *wasm.Code, limit int) error {
	c := &d.c
	start := c.pos
	n, err := c.length()
	if err != nil {
		return err
	}
	// The runs of all bodies share one backing array (a full slice
	// expression keeps each body's runs separate).
	first := len(d.localRuns)
	var total uint64
	for i := 0; i < n; i++ {
		var run wasm.LocalRun
		if run.Count, err = c.u32(); err != nil {
			return err
		}
		if run.Type, err = c.valType(d.features); err != nil {
			return err
		}
		total += uint64(run.Count)
		d.localRuns = append(d.localRuns, run)
	}
	if total > maxLocals {
		return c.fail(start, msgTooManyLocals)
	}
	if n > 0 {
		last := len(d.localRuns)
		code.Locals = d.localRuns[first:last:last]
	}
	code.NumLocals = uint32(total)
	bodyStart := c.pos
	end := limit
	if d.validated {
		if limit < bodyStart || limit > len(d.bin) {
			return c.fail(start, msgSectionSize)
		}
		c.pos = limit
	} else if end, err = d.expr(true); err != nil {
		return err
	}
	code.Body = d.bin[bodyStart:end:end]
	code.BodyOffset = bodyStart
	return nil
}
