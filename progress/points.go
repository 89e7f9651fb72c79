package progress

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Points is a score in hundredths of a point. Sums and comparisons are exact; it is written as a
// decimal with two places ("12.50") in text and JSON, and parsed without going through a float.
type Points int64

// PointsOf converts whole points.
func PointsOf(whole int64) Points { return Points(whole * 100) }

// String formats p with two decimals: 1250 → "12.50".
func (p Points) String() string {
	sign := ""
	v := int64(p)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// ParsePoints reads a decimal with at most two places: "12", "12.5", "-0.25".
func ParsePoints(s string) (Points, error) {
	t := strings.TrimSpace(s)
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" || (hasDot && frac == "") || len(frac) > 2 || !digits(whole) || !digits(frac) {
		return 0, fmt.Errorf("points %q: want a decimal with at most two places, like 12.5", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > (1<<62)/100 {
		return 0, fmt.Errorf("points %q: out of range", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + f
	if neg {
		v = -v
	}
	return Points(v), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// MarshalJSON writes a JSON number with two decimals.
func (p Points) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalJSON reads a JSON number (or a string holding one) exactly.
func (p *Points) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	s = strings.Trim(s, `"`)
	if strings.ContainsAny(s, "eE") {
		return errors.New("points: exponent notation is not exact; write a plain decimal")
	}
	v, err := ParsePoints(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}
