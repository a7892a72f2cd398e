package rt

// GlobalWords is the number of 8-byte words each global takes where
// Ctx.Globals points: global i is at word GlobalWords*i, a v128's low
// half first, any other type in the first word.
const GlobalWords = 2
