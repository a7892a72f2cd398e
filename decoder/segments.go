package decoder

import (
	"unsafe"

	"github.com/kilnrt/kiln/wasm"
)

// Element segment flag bits (bulk memory / reference types encoding).
const (
	elemPassiveOrDeclarative = 0x01 // set: passive (bit 1 clear) or declarative (bit 1 set)
	elemExplicitIndex        = 0x02 // active: table index present; otherwise declarative
	elemExpressions          = 0x04 // items are expressions, with a reference type
)

func (d *decoder) elementSection() error {
	n, err := d.c.length()
	if err != nil {
		return err
	}
	d.m.Elems = make([]wasm.ElemSegment, 0, d.c.capacity(n, 3))
	for i := 0; i < n; i++ {
		d.m.Elems = append(d.m.Elems, zero[wasm.ElemSegment]())
		if err := d.elemSegment(&d.m.Elems[i]); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) elemSegment(e *wasm.ElemSegment) error {
	c := &d.c
	start := c.pos
	flags, err := c.u32()
	if err != nil {
		return err
	}
	if flags > 7 || (flags != 0 && !d.features.Has(wasm.FeatureBulkMemory)) {
		return c.fail(start, msgElemKind)
	}
	e.Type = wasm.FuncRef
	switch {
	case flags&elemPassiveOrDeclarative == 0:
		e.Mode = wasm.SegmentActive
		if flags&elemExplicitIndex != 0 {
			if e.Table, err = c.u32(); err != nil {
				return err
			}
		}
		if e.Offset, err = d.constExpr(); err != nil {
			return err
		}
	case flags&elemExplicitIndex == 0:
		e.Mode = wasm.SegmentPassive
	default:
		e.Mode = wasm.SegmentDeclarative
	}
	// Flags 0 and 4 imply funcref; the others spell out the type.
	explicitType := flags&(elemPassiveOrDeclarative|elemExplicitIndex) != 0
	if flags&elemExpressions != 0 {
		if explicitType {
			if e.Type, err = c.refType(d.features); err != nil {
				return err
			}
		}
		n, err := c.length()
		if err != nil {
			return err
		}
		e.Exprs = make([]wasm.ConstExpr, 0, d.c.capacity(n, 1))
		for i := 0; i < n; i++ {
			e.Exprs = append(e.Exprs, zero[wasm.ConstExpr]())
			if e.Exprs[i], err = d.constExpr(); err != nil {
				return err
			}
		}
		return nil
	}
	if d.features.Has(wasm.FeatureFunctionReferences) {
		// Function indices are non-null references (3.0).
		e.Type = wasm.RefType(false, wasm.HeapFunc)
	}
	if explicitType {
		kind, err := c.readByte()
		if err != nil {
			return err
		}
		if kind != 0x00 {
			return c.fail(c.pos-1, msgElemType)
		}
	}
	n, err := c.length()
	if err != nil {
		return err
	}
	e.FuncIndices = make([]uint32, 0, d.c.capacity(n, 1))
	for i := 0; i < n; i++ {
		e.FuncIndices = append(e.FuncIndices, zero[uint32]())
		if e.FuncIndices[i], err = c.u32(); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) dataSection() error {
	c := &d.c
	n, err := c.length()
	if err != nil {
		return err
	}
	d.m.Data = make([]wasm.DataSegment, 0, d.c.capacityOf(n, 2, int(unsafe.Sizeof(wasm.DataSegment{}))))
	for i := 0; i < n; i++ {
		d.m.Data = append(d.m.Data, zero[wasm.DataSegment]())
		s := &d.m.Data[i]
		start := c.pos
		flags, err := c.u32()
		if err != nil {
			return err
		}
		switch {
		case flags == 0:
			s.Mode = wasm.SegmentActive
		case flags == 1 && d.features.Has(wasm.FeatureBulkMemory):
			s.Mode = wasm.SegmentPassive
		case flags == 2 && d.features.Has(wasm.FeatureBulkMemory):
			s.Mode = wasm.SegmentActive
			if s.Memory, err = c.u32(); err != nil {
				return err
			}
		default:
			return c.fail(start, msgDataKind)
		}
		if s.Mode == wasm.SegmentActive {
			if s.Offset, err = d.constExpr(); err != nil {
				return err
			}
		}
		size, err := c.length()
		if err != nil {
			return err
		}
		if s.Init, err = c.readBytes(size); err != nil {
			return err
		}
	}
	return nil
}
