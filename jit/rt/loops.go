package rt

// LoopEntry is a second entry into a function's code, at the head of one
// of its loops (on-stack replacement: an interpreted frame of the
// function, at a back-edge to that loop, continues in machine code).
//
// It is entered as the function itself is (Stack.Call), with an
// argument area of at least as many slots as the function has locals:
// slot i holds local i (the parameters first), every local a number
// (i32, i64, f32 or f64). The entry makes the function's frame (stack
// check and depth as the prologue; no fuel: the back-edge that led here
// was charged), loads the locals and jumps to the loop's head with an
// empty operand stack; the function returns its results in the first
// slots as from its own entry. Only loops entered with an empty operand
// stack and no block parameters have one.
type LoopEntry struct {
	Func   uint32 // function index
	Offset int32  // byte offset in the module binary of the loop instruction
	At     int    // offset in the code of the entry
}
