package store

// AppendFrames adds outer frames (a caller's part of the backtrace, from
// another engine or nesting level) after t's, omitted more beyond them,
// keeping at most MaxTrapFrames frames and counting the rest in
// OmittedFrames.
func (t *Trap) AppendFrames(frames []Frame, omitted int) {
	t.Frames = append(t.Frames, frames...)
	t.OmittedFrames += omitted
	if extra := len(t.Frames) - MaxTrapFrames; extra > 0 {
		t.Frames = t.Frames[:MaxTrapFrames]
		t.OmittedFrames += extra
	}
}
