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
	m := d.m
	m.Types = make([]wasm.FuncType, 0, c.capacity(n, 3))
	m.SubTypes = make([]wasm.SubType, 0, c.capacity(n, 3))
	for i := 0; i < n; i++ {
		b, ok := c.peekByte()
		if ok && b == 0x4E && d.features.Has(wasm.FeatureGC) {
			// A recursion group: vec(subtype).
			c.pos++
			k, err := c.length()
			if err != nil {
				return err
			}
			start := uint32(len(m.Types))
			for j := 0; j < k; j++ {
				if err := d.subType(); err != nil {
					return err
				}
			}
			for j := start; j < uint32(len(m.SubTypes)); j++ {
				m.SubTypes[j].RecStart, m.SubTypes[j].RecSize = start, uint32(k)
			}
			continue
		}
		if err := d.subType(); err != nil {
			return err
		}
		last := &m.SubTypes[len(m.SubTypes)-1]
		last.RecStart, last.RecSize = uint32(len(m.SubTypes)-1), 1
	}
	return nil
}

// subType reads a type definition: a composite type, optionally preceded
// by sub or sub final and the supertypes (GC).
func (d *decoder) subType() error {
	c := &d.c
	st := wasm.SubType{Final: true}
	if b, ok := c.peekByte(); ok && (b == 0x50 || b == 0x4F) && d.features.Has(wasm.FeatureGC) {
		c.pos++
		st.Final = b == 0x4F
		k, err := c.length()
		if err != nil {
			return err
		}
		for j := 0; j < k; j++ {
			idx, err := c.u32()
			if err != nil {
				return err
			}
			st.Supers = append(st.Supers, idx)
		}
	}
	form, err := c.readByte()
	if err != nil {
		return err
	}
	if form&0x80 != 0 {
		// The form is a one-byte signed LEB128 number (-0x20).
		return c.fail(c.pos, "integer representation too long")
	}
	var ft wasm.FuncType
	switch {
	case form == 0x60:
		st.Kind = wasm.CompFunc
		if ft.Params, err = d.valTypes(); err != nil {
			return err
		}
		if ft.Results, err = d.valTypes(); err != nil {
			return err
		}
	case form == 0x5F && d.features.Has(wasm.FeatureGC):
		st.Kind = wasm.CompStruct
		n, err := c.length()
		if err != nil {
			return err
		}
		st.Fields = make([]wasm.FieldType, 0, c.capacity(n, 2))
		for j := 0; j < n; j++ {
			f, err := d.fieldType()
			if err != nil {
				return err
			}
			st.Fields = append(st.Fields, f)
		}
	case form == 0x5E && d.features.Has(wasm.FeatureGC):
		st.Kind = wasm.CompArray
		f, err := d.fieldType()
		if err != nil {
			return err
		}
		st.Fields = []wasm.FieldType{f}
	default:
		if d.features.Has(wasm.FeatureGC) {
			return c.fail(c.pos-1, "malformed composite type")
		}
		return c.fail(c.pos-1, msgFuncType)
	}
	d.m.Types = append(d.m.Types, ft)
	d.m.SubTypes = append(d.m.SubTypes, st)
	return nil
}

// fieldType reads the storage type and mutability of a struct field or
// array element.
func (d *decoder) fieldType() (wasm.FieldType, error) {
	c := &d.c
	var f wasm.FieldType
	if b, ok := c.peekByte(); ok && wasm.ValType(b).IsPacked() {
		c.pos++
		f.Type = wasm.ValType(b)
	} else {
		t, err := c.valType(d.features)
		if err != nil {
			return f, err
		}
		f.Type = t
	}
	mut, err := c.readByte()
	if err != nil {
		return f, err
	}
	switch mut {
	case 0:
	case 1:
		f.Mutable = true
	default:
		return f, c.fail(c.pos-1, msgMutability)
	}
	return f, nil
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
		if im.Module, err = d.c.name(); err != nil {
			return err
		}
		if im.Name, err = d.c.name(); err != nil {
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
		case wasm.ExternTag:
			if !d.features.Has(wasm.FeatureExceptions) {
				return c.fail(c.pos-1, msgImportKind)
			}
			im.TypeIndex, err = d.tagType()
			m.NumImportedTags++
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
	c := &d.c
	n, err := c.length()
	if err != nil {
		return err
	}
	d.m.Tables = make([]wasm.TableType, 0, c.capacity(n, 3))
	for i := 0; i < n; i++ {
		d.m.Tables = append(d.m.Tables, zero[wasm.TableType]())
		if b, ok := c.peekByte(); ok && b == 0x40 && d.features.Has(wasm.FeatureFunctionReferences) {
			// A table with an initialiser expression: 0x40 0x00 type expr.
			c.pos++
			if err := c.zeroByte(); err != nil {
				return err
			}
			if d.m.Tables[i], err = d.tableType(); err != nil {
				return err
			}
			init, err := d.constExpr()
			if err != nil {
				return err
			}
			if d.m.TableInits == nil {
				d.m.TableInits = make([]wasm.ConstExpr, n)
			}
			d.m.TableInits[i] = init
			continue
		}
		if d.m.Tables[i], err = d.tableType(); err != nil {
			return err
		}
	}
	if d.m.TableInits != nil {
		d.m.TableInits = d.m.TableInits[:len(d.m.Tables)]
	}
	return nil
}

// tagSection reads the tags defined by the module (exception handling).
func (d *decoder) tagSection() error {
	n, err := d.c.length()
	if err != nil {
		return err
	}
	d.m.Tags = make([]wasm.TagType, 0, d.c.capacity(n, 2))
	for i := 0; i < n; i++ {
		idx, err := d.tagType()
		if err != nil {
			return err
		}
		d.m.Tags = append(d.m.Tags, wasm.TagType{TypeIndex: idx})
	}
	return nil
}

// tagType reads a tag type: the exception attribute (0) and a type index.
func (d *decoder) tagType() (uint32, error) {
	if err := d.c.zeroByte(); err != nil {
		return 0, err
	}
	return d.c.u32()
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
		if e.Name, err = d.c.name(); err != nil {
			return err
		}
		kind, err := c.readByte()
		if err != nil {
			return err
		}
		if kind > byte(wasm.ExternGlobal) && !(kind == byte(wasm.ExternTag) && d.features.Has(wasm.FeatureExceptions)) {
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
	if b&0x7F&^allowed != 0 || b&0x80 != 0 {
		if d.features.Has(wasm.FeatureMemory64) {
			// 3.0 reads the flags as a byte.
			return 0, c.fail(c.pos-1, "malformed limits flags")
		}
		if b&0x80 != 0 && b&0x7F&^allowed == 0 {
			return 0, c.fail(c.pos-1, "integer representation too long")
		}
		return 0, c.fail(c.pos-1, "integer too large")
	}
	return b, nil
}

// limits reads the minimum and optional maximum announced by flags.
func (d *decoder) limits(flags byte, is64 bool) (wasm.Limits, error) {
	var l wasm.Limits
	var err error
	read := func() (uint64, error) {
		// 3.0 (memory64) encodes every limit as u64; validation checks
		// the range of the address type.
		if is64 || d.features.Has(wasm.FeatureMemory64) {
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
