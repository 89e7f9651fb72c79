package yamlpos

import (
	"fmt"
	"math"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// Field decodes the value of one mapping key. key is the key's name, for messages.
type Field func(d *Decoder, key string, value ast.Node)

// Fields are the keys a mapping may hold.
type Fields map[string]Field

// Keys are the keys a mapping holds, for positions and presence.
type Keys struct {
	Node   ast.Node // the mapping
	key    map[string]ast.Node
	values map[string]ast.Node
}

// Has reports whether key is present with a non-null value.
func (k Keys) Has(key string) bool { return !isNull(k.values[key]) }

// Value returns the value node of key, nil when absent.
func (k Keys) Value(key string) ast.Node { return k.values[key] }

// Pos returns where key's value is, or where the key is when its value is null, or where the
// mapping starts when key is absent: the best place to point at for a message about key.
func (k Keys) Pos(key string) Pos {
	if v := k.values[key]; !isNull(v) {
		return PosOf(v)
	}
	if kn := k.key[key]; kn != nil {
		return PosOf(kn)
	}
	return PosOf(k.Node)
}

// KeyPos returns where key itself is written, or where the mapping starts when it is absent.
func (k Keys) KeyPos(key string) Pos {
	if kn := k.key[key]; kn != nil {
		return PosOf(kn)
	}
	return PosOf(k.Node)
}

// Map decodes mapping n with fields: every key not in fields is an error (with a suggestion when
// it looks like a typo), every field decodes its value. what names the mapping in messages
// ("a question"). A null n decodes nothing; a non-mapping n is an error.
func (d *Decoder) Map(n ast.Node, what string, fields Fields) Keys {
	keys := Keys{Node: n, key: map[string]ast.Node{}, values: map[string]ast.Node{}}
	n = unwrap(n)
	if isNull(n) {
		return keys
	}
	pairs, ok := Pairs(n)
	if !ok {
		d.Errorf(n, "%s must be a mapping of key: value lines, not %s", what, describe(n))
		return keys
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	for _, p := range pairs {
		name, ok := scalarText(p.Key)
		if !ok {
			d.Errorf(p.Key, "%s has a key that is not a plain word", what)
			continue
		}
		field, known := fields[name]
		if !known {
			if s := Closest(name, names); s != "" {
				d.Errorf(p.Key, "unknown field %q in %s (did you mean %q?)", name, what, s)
			} else {
				d.Errorf(p.Key, "unknown field %q in %s", name, what)
			}
			continue
		}
		keys.key[name] = p.Key
		keys.values[name] = p.Value
		if alias, ok := unwrap(p.Value).(*ast.AliasNode); ok {
			d.Errorf(alias, "%s: aliases (*name) are not supported in course files", name)
			continue
		}
		if field != nil && !isNull(p.Value) {
			field(d, name, unwrap(p.Value))
		}
	}
	return keys
}

// Seq returns the items of sequence n. A null n has none; a non-sequence n is an error.
func (d *Decoder) Seq(key string, n ast.Node) []ast.Node {
	n = unwrap(n)
	if isNull(n) {
		return nil
	}
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.Errorf(n, "%s must be a list (- item lines or [a, b]), not %s", key, describe(n))
		return nil
	}
	items := make([]ast.Node, len(s.Values))
	for i, v := range s.Values {
		items[i] = unwrap(v)
	}
	return items
}

// String decodes any scalar as its text: `text: 8080` is the string "8080".
func String(dst *string) Field {
	return func(d *Decoder, key string, n ast.Node) {
		s, ok := scalarText(n)
		if !ok {
			d.Errorf(n, "%s must be text, not %s", key, describe(n))
			return
		}
		*dst = s
	}
}

// Int decodes a whole number.
func Int(dst *int) Field {
	return func(d *Decoder, key string, n ast.Node) {
		v, ok := intValue(n)
		if !ok {
			d.Errorf(n, "%s must be a whole number, not %s", key, describe(n))
			return
		}
		*dst = v
	}
}

// Bool decodes true or false.
func Bool(dst *bool) Field {
	return func(d *Decoder, key string, n ast.Node) {
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.Errorf(n, "%s must be true or false, not %s", key, describe(n))
			return
		}
		*dst = b.Value
	}
}

// BoolPtr decodes true or false into a new bool, so that absence stays visible as nil.
func BoolPtr(dst **bool) Field {
	return func(d *Decoder, key string, n ast.Node) {
		var b bool
		before := len(d.Errs)
		Bool(&b)(d, key, n)
		if len(d.Errs) == before {
			*dst = &b
		}
	}
}

// Strings decodes a list of scalars; a single scalar is not accepted (say [x] for one item).
func Strings(dst *[]string) Field { return StringsAt(dst, nil) }

// StringsAt is Strings that also records where each item is, for messages about one item.
// at may be nil.
func StringsAt(dst *[]string, at *[]Pos) Field {
	return func(d *Decoder, key string, n ast.Node) {
		items := d.Seq(key, n)
		out := make([]string, 0, len(items))
		var pos []Pos
		for i, it := range items {
			s, ok := scalarText(it)
			if !ok {
				d.Errorf(it, "%s: item %d must be text, not %s", key, i+1, describe(it))
				continue
			}
			out = append(out, s)
			pos = append(pos, PosOf(it))
		}
		*dst = out
		if at != nil {
			*at = pos
		}
	}
}

// IntValue returns the whole number n holds.
func IntValue(n ast.Node) (int, bool) { return intValue(unwrap(n)) }

func intValue(n ast.Node) (int, bool) {
	in, ok := n.(*ast.IntegerNode)
	if !ok {
		return 0, false
	}
	switch v := in.Value.(type) {
	case int64:
		if v < math.MinInt || v > math.MaxInt {
			return 0, false
		}
		return int(v), true
	case uint64:
		if v > math.MaxInt {
			return 0, false
		}
		return int(v), true
	}
	return 0, false
}

// ScalarText returns the text of a scalar node (string, number, bool, block scalar).
func ScalarText(n ast.Node) (string, bool) { return scalarText(unwrap(n)) }

func scalarText(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return n.GetToken().Value, true
	case *ast.NullNode:
		return "", true
	}
	return "", false
}

func describe(n ast.Node) string {
	switch v := unwrap(n).(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode:
		return fmt.Sprintf("%q", v.Value)
	case *ast.LiteralNode:
		return "a block of text"
	case nil:
		return "nothing"
	default:
		return fmt.Sprintf("%q", strings.TrimSpace(v.GetToken().Value))
	}
}

// Closest returns the candidate within two edits of s, if one is.
func Closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := distance(s, c); d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b (byte-wise; keys are ASCII).
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Pairs returns the key: value pairs of mapping n (block or flow, one pair or many).
func Pairs(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch m := unwrap(n).(type) {
	case *ast.MappingNode:
		return m.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}, true
	}
	return nil, false
}

// ValueOf returns the value of key in mapping n, or n itself when n has no such key (so that a
// position taken from the result still points somewhere near).
func ValueOf(n ast.Node, key string) ast.Node {
	pairs, _ := Pairs(n)
	for _, p := range pairs {
		if k, ok := scalarText(unwrap(p.Key)); ok && k == key {
			return p.Value
		}
	}
	return n
}
