package check

import (
	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// SizeLike writes n in the unit system q is written in, so a size is read beside its budget in
// one system: "21.0 MB; the budget is 20MB", not "20.0 MiB; the budget is 20MB". Decimal when q
// says KB/MB/GB (or K/M/G), binary otherwise.
func SizeLike(n int64, q spec.Quantity) string {
	if q.Decimal() {
		return sandbox.DecimalBytes(n)
	}
	return sandbox.HumanBytes(n)
}
