package check

import (
	"fmt"
	"strings"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/sandbox/image"
)

// wastedSpace decides a wasted_space check on the final image. Waste is the file content the
// layers carry but the final filesystem hides (deleted or replaced later), so the failure names
// the biggest hidden files and the instructions that added and hid them: that is what the
// learner has to merge or move to another stage.
func (r *runState) wastedSpace(c spec.Check) (bool, string, int, error) {
	w := r.img.Waste()
	summary := fmt.Sprintf("%s wasted of %s in the layers (%.1f%% efficient)",
		sandbox.HumanBytes(w.WastedBytes), sandbox.HumanBytes(w.TotalBytes), 100*w.Efficiency)
	var why []string
	if c.MaxBytes.Raw != "" {
		if max, _ := c.MaxBytes.Bytes(); w.WastedBytes > max {
			why = append(why, "the budget is "+c.MaxBytes.Raw)
		}
	}
	if e := c.MinEfficiency; e != nil && w.Efficiency < *e {
		why = append(why, fmt.Sprintf("at least %.1f%% wanted", 100**e))
	}
	if len(why) == 0 {
		return true, summary, 0, nil
	}
	return false, summary + "; " + strings.Join(why, " and ") + ": " + r.wasteCulprits(w), 0, nil
}

// wasteCulprits names up to three of the largest hidden files with the instructions that added
// and hid them.
func (r *runState) wasteCulprits(w image.Waste) string {
	instr := func(layer int) string {
		if layer < len(w.Layers) && w.Layers[layer].CreatedBy != "" {
			return "`" + sandbox.InstructionOf(w.Layers[layer].CreatedBy) + "`"
		}
		return fmt.Sprintf("layer %d", layer)
	}
	var parts []string
	for i, f := range w.Files {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(w.Files)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%s) added by %s, %s by %s",
			f.Path, sandbox.HumanBytes(f.Size), instr(f.Layer), f.How, instr(f.HiddenBy)))
	}
	return strings.Join(parts, "; ")
}
