package decoder

import (
	"github.com/kilnrt/kiln/wasm"
)

func (d *decoder) typeSection() error {
	c := &d.c
	n, err := c.length()
	if err != nil {
		return err
	}
	d.m.Types = make([]wasm.FuncType, 0, c.capacity(n, 3))
	for i := 0; i < n; i++ {
		form, err := c.readByte()
		if err != nil {
			return err
		}
		if form&0x80 != 0 {
			// The form is a one-byte signed LEB128 number (-0x20).
			return c.fail(c.pos, "integer representation too long")
		}
		if form != 0x60 {
			return c.fail(c.pos-1, msgFuncType)
		}
		params, err := d.valTypes()
		if err != nil {
			return err
		}
		results, err := d.valTypes()
		if err != nil {
			return err
		}
		d.m.Types = append(d.m.Types, wasm.FuncType{Params: params, Results: results})
	}
	return nil
}

// valTypes reads a vector of value types.
func (d *decoder) valTypes() ([]wasm.ValType, error) {
	n, err := d.c.length()
	if err != nil || n == 0 {
		return nil, err
	}
	ts := make([]wasm.ValType, 0, d.c.capacity(n, 1))
	for i := 0; i < n; i++ {
		t, err := d.c.valType(d.features)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

func (d *decoder) importSection() error {
	c := &d.c
	n, err := c.length()
	if err != nil {
		return err
	}
	m := d.m
	m.Imports = make([]wasm.Import, 0, c.capacity(n, 4))
	for i := 0; i < n; i++ {
		var im wasm.Import
		if im.Module, err = d.name(); err != nil {
			return err
		}
		if im.Name, err = d.name(); err != nil {
			return err
		}
		kind, err := c.readByte()
		if err != nil {
			return err
		}
		im.Kind = wasm.ExternKind(kind)
		switch im.Kind {
		case wasm.ExternFunc:
			im.TypeIndex, err = c.u32()
			m.NumImportedFuncs++
		case wasm.ExternTable:
			im.Table, err = d.tableType()
			m.NumImportedTables++
		case wasm.ExternMemory:
			im.Mem, err = d.memoryType()
			m.NumImportedMems++
		case wasm.ExternGlobal:
			im.Global, err = d.globalType()
			m.NumImportedGlobals++
		default:
			return c.fail(c.pos-1, msgImportKind)
		}
		if err != nil {
			return err
		}
		m.Imports = append(m.Imports, im)
	}
	return nil
}

func (d *decoder) functionSection() error {
	c := &d.c
	n, err := c.length()
	if err != nil {
		return err
	}
	d.m.Funcs = make([]uint32, 0, d.c.capacity(n, 1))
	for i := 0; i < n; i++ {
		d.m.Funcs = append(d.m.Funcs, zero[uint32]())
		if d.m.Funcs[i], err = c.u32(); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) tableSection() error {
	n, err := d.c.length()
	if err != nil {
		return err
	}
	d.m.Tables = make([]wasm.TableType, 0, d.c.capacity(n, 3))
	for i := 0; i < n; i++ {
		d.m.Tables = append(d.m.Tables, zero[wasm.TableType]())
		if d.m.Tables[i], err = d.tableType(); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) memorySection() error {
	n, err := d.c.length()
	if err != nil {
		return err
	}
	d.m.Mems = make([]wasm.MemoryType, 0, d.c.capacity(n, 2))
	for i := 0; i < n; i++ {
		d.m.Mems = append(d.m.Mems, zero[wasm.MemoryType]())
		if d.m.Mems[i], err = d.memoryType(); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) globalSection() error {
	n, err := d.c.length()
	if err != nil {
		return err
	}
	d.m.Globals = make([]wasm.Global, 0, d.c.capacity(n, 3))
	for i := 0; i < n; i++ {
		d.m.Globals = append(d.m.Globals, zero[wasm.Global]())
		g := &d.m.Globals[i]
		if g.Type, err = d.globalType(); err != nil {
			return err
		}
		if g.Init, err = d.constExpr(); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) exportSection() error {
	c := &d.c
	n, err := c.length()
	if err != nil {
		return err
	}
	d.m.Exports = make([]wasm.Export, 0, d.c.capacity(n, 3))
	for i := 0; i < n; i++ {
		d.m.Exports = append(d.m.Exports, zero[wasm.Export]())
		e := &d.m.Exports[i]
		if e.Name, err = d.name(); err != nil {
			return err
		}
		kind, err := c.readByte()
		if err != nil {
			return err
		}
		if kind > byte(wasm.ExternGlobal) {
			return c.fail(c.pos-1, msgExportKind)
		}
		e.Kind = wasm.ExternKind(kind)
		if e.Index, err = c.u32(); err != nil {
			return err
		}
	}
	return nil
}

// tableType reads a table's element type and limits.
func (d *decoder) tableType() (wasm.TableType, error) {
	var t wasm.TableType
	var err error
	if t.Elem, err = d.c.refType(d.features); err != nil {
		return t, err
	}
	flags, err := d.limitsFlags(0x01 | d.table64Flags())
	if err != nil {
		return t, err
	}
	t.Is64 = flags&0x04 != 0
	t.Limits, err = d.limits(flags, t.Is64)
	return t, err
}

// memoryType reads a memory's limits and flags.
func (d *decoder) memoryType() (wasm.MemoryType, error) {
	var t wasm.MemoryType
	allowed := byte(0x01)
	if d.features.Has(wasm.FeatureThreads) {
		allowed |= 0x02
	}
	if d.features.Has(wasm.FeatureMemory64) {
		allowed |= 0x04
	}
	flags, err := d.limitsFlags(allowed)
	if err != nil {
		return t, err
	}
	t.Shared = flags&0x02 != 0
	t.Is64 = flags&0x04 != 0
	t.Limits, err = d.limits(flags, t.Is64)
	return t, err
}

func (d *decoder) table64Flags() byte {
	if d.features.Has(wasm.FeatureMemory64) {
		return 0x04
	}
	return 0
}

// limitsFlags reads the flags byte of limits, a one-byte LEB128 number
// whose set bits must all be in allowed.
func (d *decoder) limitsFlags(allowed byte) (byte, error) {
	c := &d.c
	b, err := c.readByte()
	if err != nil {
		return 0, err
	}
	if b&0x7F&^allowed != 0 {
		return 0, c.fail(c.pos-1, "integer too large")
	}
	if b&0x80 != 0 {
		return 0, c.fail(c.pos-1, "integer representation too long")
	}
	return b, nil
}

// limits reads the minimum and optional maximum announced by flags.
func (d *decoder) limits(flags byte, is64 bool) (wasm.Limits, error) {
	var l wasm.Limits
	var err error
	read := func() (uint64, error) {
		if is64 {
			return d.c.u64()
		}
		v, err := d.c.u32()
		return uint64(v), err
	}
	if l.Min, err = read(); err != nil {
		return l, err
	}
	if flags&0x01 != 0 {
		l.HasMax = true
		l.Max, err = read()
	}
	return l, err
}

// globalType reads a global's value type and mutability.
func (d *decoder) globalType() (wasm.GlobalType, error) {
	c := &d.c
	var g wasm.GlobalType
	var err error
	if g.Type, err = c.valType(d.features); err != nil {
		return g, err
	}
	mut, err := c.readByte()
	if err != nil {
		return g, err
	}
	switch mut {
	case 0:
	case 1:
		g.Mutable = true
	default:
		return g, c.fail(c.pos-1, msgMutability)
	}
	return g, nil
}
