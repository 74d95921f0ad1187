package annotate

import (
	"slices"
	"strings"
)

// doc is a Markdown document as a list of chunks, some of which are rows
// that may be dropped to fit a byte budget. Dropping whole chunks means the
// output can never end inside a table row or a UTF-8 sequence.
type doc struct {
	chunks  []chunk
	groups  []*group
	cutNote string // appended when even the fixed text does not fit
}

// chunk is fixed text (g == nil), a droppable row of g, or the place where
// g's note goes if rows of g were dropped.
type chunk struct {
	text   string
	g      *group
	note   bool
	keep   bool
	header bool // text of g written only if some row of g is kept (a table's head)
}

// group is a set of droppable rows, such as one table's body. Groups with a
// lower priority number get the budget first; within a group, earlier rows
// win, so a table keeps a prefix of its rows.
type group struct {
	priority    int
	rows, kept  int
	noteText    func(omitted, total int) string
	reservation int // bytes held back for the note
}

func (d *doc) fixed(s string) { d.chunks = append(d.chunks, chunk{text: s, keep: true}) }

func (d *doc) group(priority int, note func(omitted, total int) string) *group {
	g := &group{priority: priority, noteText: note}
	d.groups = append(d.groups, g)
	return g
}

func (d *doc) row(g *group, s string) {
	g.rows++
	d.chunks = append(d.chunks, chunk{text: s, g: g, keep: true})
}

func (d *doc) note(g *group) { d.chunks = append(d.chunks, chunk{g: g, note: true}) }

// header adds text that belongs to g's rows, such as a table's head: it is
// left out with them when every row is dropped, so a fully dropped table
// leaves only its note.
func (d *doc) header(g *group, s string) {
	d.chunks = append(d.chunks, chunk{text: s, g: g, header: true, keep: true})
}

// render returns the document within budget bytes.
func (d *doc) render(budget int) string {
	if d.size() > budget {
		d.drop(budget)
	} else {
		for _, g := range d.groups {
			g.kept = g.rows
		}
	}
	var b strings.Builder
	for _, c := range d.chunks {
		switch {
		case c.note && c.g.kept < c.g.rows:
			b.WriteString(c.g.noteText(c.g.rows-c.g.kept, c.g.rows))
		case c.header:
			if c.g.kept > 0 {
				b.WriteString(c.text)
			}
		case c.keep && !c.note:
			b.WriteString(c.text)
		}
	}
	return d.cut(b.String(), budget)
}

// size is the length of the document with every row kept.
func (d *doc) size() int {
	n := 0
	for _, c := range d.chunks {
		n += len(c.text)
	}
	return n
}

// drop decides which rows to keep. It first holds back room for every note
// (at its longest, when all rows are dropped) and the cut note, then hands
// the rest to groups in priority order.
func (d *doc) drop(budget int) {
	avail := budget - len(d.cutNote)
	for _, c := range d.chunks {
		if c.g == nil || c.header { // headers are held back as if fixed
			avail -= len(c.text)
		}
	}
	for _, g := range d.groups {
		g.reservation = len(g.noteText(g.rows, g.rows))
		avail -= g.reservation
	}
	order := slices.Clone(d.groups)
	slices.SortStableFunc(order, func(a, b *group) int { return a.priority - b.priority })
	for _, g := range order {
		avail = d.fill(g, avail)
	}
}

// fill keeps rows of g in order while they fit in avail and returns what is
// left. It stops at the first row that does not fit so the kept rows are a
// prefix and "N of M not listed" means the last ones.
func (d *doc) fill(g *group, avail int) int {
	full := false
	for i := range d.chunks {
		c := &d.chunks[i]
		if c.g != g || c.note || c.header {
			continue
		}
		c.keep = !full && len(c.text) <= avail
		if !c.keep {
			full = true
			continue
		}
		avail -= len(c.text)
		g.kept++
	}
	return avail
}

// cut is the last resort when the fixed text alone is too long: it ends the
// output at a line break and appends the cut note.
func (d *doc) cut(s string, budget int) string {
	if len(s) <= budget {
		return s
	}
	room := budget - len(d.cutNote)
	if room < 0 {
		return ""
	}
	i := strings.LastIndexByte(s[:room], '\n')
	return s[:i+1] + d.cutNote
}
