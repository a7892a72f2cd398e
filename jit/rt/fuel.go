package rt

// FuelBytesShift is log2 of engine.FuelBytesPerUnit (checked by a
// test): the back ends' inline memory.fill and memory.copy of n bytes
// charge min(n, memory length) >> FuelBytesShift units of Ctx.Budget, as
// the interpreter does.
const FuelBytesShift = 8
