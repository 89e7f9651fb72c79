package spec

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Quantity is a count or a size as written in YAML: 3, "20MB", "1.5 GiB".
type Quantity struct{ Raw string }

// UnmarshalYAML accepts a number or a string.
func (q *Quantity) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	if v == nil {
		q.Raw = ""
		return nil
	}
	q.Raw = strings.TrimSpace(fmt.Sprint(v))
	return nil
}

func (q Quantity) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(q.Raw)), nil }

func (q *Quantity) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil {
		s = string(b)
	}
	q.Raw = s
	return nil
}

// Count reads the quantity as a whole number.
func (q Quantity) Count() (int, error) {
	n, err := strconv.Atoi(q.Raw)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a count", q.Raw)
	}
	return n, nil
}

var sizeRe = regexp.MustCompile(`^(?i)\s*([0-9]+(?:\.[0-9]+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\s*$`)

// Bytes reads the quantity as a size. KB/MB/GB are decimal (as registries and `docker images`
// print them); KiB/MiB/GiB are binary.
func (q Quantity) Bytes() (int64, error) { return ParseSize(q.Raw) }

// ParseSize reads "20MB", "512KiB", "1.5G", "1048576".
func ParseSize(s string) (int64, error) {
	m := sizeRe.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a size (write e.g. 20MB or 512KiB)", s)
	}
	f, _ := strconv.ParseFloat(m[1], 64)
	mult := map[string]float64{"": 1, "b": 1, "k": 1e3, "kb": 1e3, "kib": 1 << 10, "m": 1e6, "mb": 1e6, "mib": 1 << 20, "g": 1e9, "gb": 1e9, "gib": 1 << 30}[strings.ToLower(m[2])]
	return int64(f * mult), nil
}

// Decimal reports whether the quantity is a size written in 1000-based units (KB/MB/GB, or
// K/M/G), so a size can be shown beside it in the same system.
func (q Quantity) Decimal() bool {
	m := sizeRe.FindStringSubmatch(q.Raw)
	return m != nil && !strings.Contains(strings.ToLower(m[2]), "i") && m[2] != "" && !strings.EqualFold(m[2], "b")
}

// Points are exact scores in hundredths, so totals never drift: "2.5" is 250.
type Points int64

// Whole returns n points.
func Whole(n int64) Points { return Points(n * 100) }

func (p Points) String() string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	if p%100 == 0 {
		return fmt.Sprintf("%s%d", sign, p/100)
	}
	if p%10 == 0 {
		return fmt.Sprintf("%s%d.%d", sign, p/100, (p%100)/10)
	}
	return fmt.Sprintf("%s%d.%02d", sign, p/100, p%100)
}

// ParsePoints reads "10", "2.5", "0.25" exactly (at most two decimals).
func ParsePoints(s string) (Points, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 2 {
		return 0, fmt.Errorf("%q is not a points value (use at most two decimals)", s)
	}
	w, err := strconv.ParseInt(orZero(whole), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a points value", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a points value", s)
	}
	p := Points(w*100 + f)
	if neg {
		p = -p
	}
	return p, nil
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

func (p Points) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

func (p *Points) UnmarshalJSON(b []byte) error {
	v, err := ParsePoints(strings.Trim(string(b), `"`))
	*p = v
	return err
}

// UnmarshalYAML accepts 10, 2.5 or "2.5".
func (p *Points) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	var s string
	switch x := v.(type) {
	case uint64:
		s = strconv.FormatUint(x, 10)
	case int64:
		s = strconv.FormatInt(x, 10)
	case int:
		s = strconv.Itoa(x)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		s = x
	default:
		return fmt.Errorf("points: %v is not a number", v)
	}
	pts, err := ParsePoints(s)
	if err != nil {
		return err
	}
	*p = pts
	return nil
}
