package ir

import "sync"

// A function's values, blocks and short slices are carved from chunks
// (newValue, NewBlock, Grow). Chunks come from pools that Release fills:
// the JIT builds, optimises and compiles one function after another on
// each core, and reusing the previous function's memory instead of
// allocating the next one's kept most of a compile's allocation (and
// the collector's work on it) away.
var (
	valueChunks = sync.Pool{New: func() any { return new([slabSize]Value) }}
	blockChunks = sync.Pool{New: func() any { return new([blockChunk]Block) }}
	ptrChunks   = sync.Pool{New: func() any { return new([ptrChunk]*Value) }}
)

// blockChunk is how many blocks NewBlock takes at once.
const blockChunk = 16

// chunks are the pooled chunks a function's memory comes from.
type chunks struct {
	values []*[slabSize]Value
	blocks []*[blockChunk]Block
	ptrs   []*[ptrChunk]*Value
	slab   []Value  // the rest of the last value chunk
	bslab  []Block  // the rest of the last block chunk
	pslab  []*Value // the rest of the last pointer chunk (see Grow)
}

func (c *chunks) value() *Value {
	if len(c.slab) == 0 {
		ch := valueChunks.Get().(*[slabSize]Value)
		c.values = append(c.values, ch)
		c.slab = ch[:]
	}
	v := &c.slab[0]
	c.slab = c.slab[1:]
	return v
}

func (c *chunks) block() *Block {
	if len(c.bslab) == 0 {
		ch := blockChunks.Get().(*[blockChunk]Block)
		c.blocks = append(c.blocks, ch)
		c.bslab = ch[:]
	}
	b := &c.bslab[0]
	c.bslab = c.bslab[1:]
	return b
}

// ptrSlice returns an empty slice with capacity size (at most ptrChunk),
// capped so that appending past it copies.
func (c *chunks) ptrSlice(size int) []*Value {
	if len(c.pslab) < size {
		ch := ptrChunks.Get().(*[ptrChunk]*Value)
		c.ptrs = append(c.ptrs, ch)
		c.pslab = ch[:]
	}
	s := c.pslab[:0:size]
	c.pslab = c.pslab[size:]
	return s
}

// Release gives the function's memory back for the next functions built:
// neither f nor any of its blocks or values may be used afterwards. The
// chunks are cleared first, so that they hold on to nothing.
func (f *Func) Release() {
	c := &f.mem
	for _, ch := range c.values {
		*ch = [slabSize]Value{}
		valueChunks.Put(ch)
	}
	for _, ch := range c.blocks {
		*ch = [blockChunk]Block{}
		blockChunks.Put(ch)
	}
	for _, ch := range c.ptrs {
		*ch = [ptrChunk]*Value{}
		ptrChunks.Put(ch)
	}
	*f = Func{}
}
