package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/grade"
	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// checkOptions are the flags and dependencies of `stagecraft check`.
type checkOptions struct {
	In       io.Reader
	Out, Err io.Writer
	// IsTerminal says whether stderr is a terminal: the check's phases are shown there.
	IsTerminal func(any) bool
	// ExercisePlan is the check plan of one of the course's exercises.
	ExercisePlan func(id string) (*check.Plan, error)
	// OpenSandbox opens a sandbox with the command's limits.
	OpenSandbox func(context.Context, sandboxFlags) (*sandbox.Sandbox, error)
	// Record keeps a checked attempt in the learner's progress, as the course does.
	Record func(ctx context.Context, dockerfile []byte, rep *check.Report) error

	sandboxFlags
	Exercise string
	File     string
	Context  string
	Target   string
	Format   string
	// Ad-hoc checks, for pipelines that have no exercise.
	ExpectStages []string
	MinStages    int
	MaxSize      string
	NonRoot      bool
	FinalBases   []string
	NoPathsUnder []string
	NoRecord     bool
}

func newCheckOptions(f *factory) *checkOptions {
	return &checkOptions{In: f.In(), Out: f.Out(), Err: f.Err(), IsTerminal: f.IsTerminal,
		ExercisePlan: func(id string) (*check.Plan, error) { return exercisePlan(f.g, id) },
		OpenSandbox:  f.g.openSandbox,
		Record: func(ctx context.Context, dockerfile []byte, rep *check.Report) error {
			st, err := f.Store(ctx)
			if err != nil {
				return err
			}
			svc, err := f.Service(st)
			if err != nil {
				return err
			}
			return svc.RecordAttempt(ctx, dockerfile, rep)
		}}
}

func newCheckCmd(f *factory) *cobra.Command {
	o := newCheckOptions(f)
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check a Dockerfile against an exercise (or ad-hoc rules) and score it",
		Long: `check builds one submission in the sandbox and runs the exercise's checks on it: static ones
(stages, names, COPY --from, final base) first, then the built image's size, contents, user,
config, a command run in it, secrets and cache reuse.

Without --exercise, the checks come from flags, so any pipeline can use it:
  stagecraft check -f Dockerfile --expect-stage build --max-size 20MB --non-root

Exit codes: 0 every check passes; 1 the submission fails (a syntax error is a failed check);
2 bad input to stagecraft (unknown exercise, unreadable file); 3 environment fault (BuildKit
unreachable) — then the JSON says "gradable": false and no score is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			defer f.Close()
			return runCheck(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Exercise, "exercise", "", "exercise id (see `stagecraft exercises`)")
	fl.StringVarP(&o.File, "file", "f", "Dockerfile", "the Dockerfile to check (- for stdin)")
	fl.StringVar(&o.Context, "context", "", "build context folder (default: the exercise's context, or .)")
	fl.StringVar(&o.Target, "target", "", "build this stage instead of the last")
	fl.StringVar(&o.Format, "format", "text", "output: text, json or gradescope")
	fl.StringArrayVar(&o.ExpectStages, "expect-stage", nil, "ad hoc: a stage with this exact name must exist (repeatable)")
	fl.IntVar(&o.MinStages, "min-stages", 0, "ad hoc: at least this many stages")
	fl.StringVar(&o.MaxSize, "max-size", "", "ad hoc: the final image is at most this size unpacked (e.g. 20MB)")
	fl.BoolVar(&o.NonRoot, "non-root", false, "ad hoc: the final image does not run as root")
	fl.StringArrayVar(&o.FinalBases, "final-base", nil, "ad hoc: the final stage starts FROM one of these (repeatable)")
	fl.StringArrayVar(&o.NoPathsUnder, "absent", nil, "ad hoc: this path must not exist in the final image (repeatable)")
	fl.BoolVar(&o.NoRecord, "no-record", false, "do not save this attempt in the progress store (with --exercise it is saved by default)")
	o.sandboxFlags.register(fl)
	o.sandboxFlags.registerLimits(fl)
	return cmd
}

func runCheck(ctx context.Context, o *checkOptions) error {
	switch o.Format {
	case "text", "json", "gradescope":
	default:
		return usageErr("--format %q: use text, json or gradescope", o.Format)
	}
	if _, err := o.policy(); err != nil {
		return err
	}
	plan, err := o.plan()
	if err != nil {
		return err
	}
	// Input the sandbox refuses (a Dockerfile over 1 MiB or that is a link, a context over
	// 200 MiB) is the submission's failure, as in `grade`: a report saying why, exit 1.
	src, name, refused, err := readSubmission(o.File, o.In)
	if err != nil {
		return err
	}
	var rep *check.Report
	checked := false // rep is the checker's verdict, not one made up for a refusal or a fault
	if refused == nil {
		sub := check.Submission{Dockerfile: src, Filename: name, ContextDir: o.Context, Target: o.Target}
		if sub.ContextDir == "" && plan.ContextDir == "" {
			sub.ContextDir = "."
		}
		var sb *sandbox.Sandbox
		sb, err = o.OpenSandbox(ctx, o.sandboxFlags)
		if err == nil {
			defer sb.Close()
			var events chan check.Event
			if o.Format == "text" && o.IsTerminal(o.Err) {
				events = make(chan check.Event)
				go showPhases(o.Err, events)
			}
			rep, err = check.Run(ctx, sb, *plan, sub, events)
			if events != nil {
				close(events)
			}
			checked = rep != nil
		}
		if err != nil && isRefusal(err) {
			refused, err, checked = err, nil, false
		}
	}
	switch {
	case refused != nil:
		rep = grade.RefusedReport(*plan, rep, refused)
	case err != nil && rep == nil:
		rep = &check.Report{Schema: check.ReportSchema, Exercise: plan.Exercise, Gradable: false, Error: err.Error(),
			Checks: []check.CheckResult{}, Stages: []sandbox.StageInfo{}, Findings: []sandbox.FindingInfo{}, Lint: []sandbox.LintFinding{}}
	}
	if perr := printReport(o.Out, o.Format, name, rep); perr != nil {
		return perr
	}
	// Every verdict of the checker on an exercise is kept, as the course keeps it: one the
	// environment spoiled is kept as not gradable and never scored. The store is a convenience
	// here: if it cannot be written the check's verdict stands, with a note.
	if plan.Exercise != "" && !o.NoRecord && checked {
		if err := o.Record(ctx, src, rep); err != nil {
			fmt.Fprintf(o.Err, "stagecraft: the attempt was checked but not saved to your progress: %v\n", err)
		}
	}
	switch {
	case !rep.Gradable:
		if o.Format == "text" {
			return envErr(err)
		}
		return &exitError{code: exitEnviron}
	case !rep.Passed:
		return failed()
	}
	return nil
}

// plan is the exercise's plan, or one built from the ad-hoc flags.
func (o *checkOptions) plan() (*check.Plan, error) {
	if o.Exercise != "" {
		if o.adHoc() {
			return nil, usageErr("--exercise and ad-hoc check flags (--expect-stage, --max-size, …) do not mix")
		}
		return o.ExercisePlan(o.Exercise)
	}
	if !o.adHoc() {
		return nil, usageErr("say what to check: --exercise ID, or ad-hoc flags such as --expect-stage build --max-size 20MB --non-root")
	}
	plan := &check.Plan{}
	add := func(c spec.Check) {
		c.Points = spec.Whole(1)
		plan.Checks = append(plan.Checks, c)
	}
	if o.MinStages > 0 {
		n := o.MinStages
		add(spec.Check{ID: "min-stages", Kind: spec.KindStageCount, Min: &n, Message: "at least " + strconv.Itoa(n) + " stages"})
	}
	for i, s := range o.ExpectStages {
		add(spec.Check{ID: fmt.Sprintf("stage-%d", i+1), Kind: spec.KindStageNamed, Name: s, Message: "a stage named " + s})
	}
	if len(o.FinalBases) > 0 {
		add(spec.Check{ID: "final-base", Kind: spec.KindFinalBase, OneOf: o.FinalBases})
	}
	if o.MaxSize != "" {
		if _, err := spec.ParseSize(o.MaxSize); err != nil {
			return nil, usageErr("--max-size: %v", err)
		}
		add(spec.Check{ID: "max-size", Kind: spec.KindImageSize, Max: spec.Quantity{Raw: o.MaxSize}})
	}
	if o.NonRoot {
		add(spec.Check{ID: "non-root", Kind: spec.KindUser, NonRoot: true})
	}
	if len(o.NoPathsUnder) > 0 {
		add(spec.Check{ID: "absent", Kind: spec.KindPathAbsent, Paths: o.NoPathsUnder})
	}
	for _, err := range spec.ValidateChecks(plan.Checks) {
		return nil, usageErr("%v", err)
	}
	return plan, nil
}

func (o *checkOptions) adHoc() bool {
	return len(o.ExpectStages) > 0 || o.MinStages > 0 || o.MaxSize != "" || o.NonRoot || len(o.FinalBases) > 0 || len(o.NoPathsUnder) > 0
}

func printReport(w io.Writer, format, name string, rep *check.Report) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "gradescope":
		return json.NewEncoder(w).Encode(gradescopeOf(rep))
	}
	writeReportText(w, name, rep)
	return nil
}

// showPhases prints what the check is doing while it runs, on a terminal's stderr.
func showPhases(w io.Writer, events <-chan check.Event) {
	for ev := range events {
		if ev.Phase != "" {
			fmt.Fprintf(w, "… %s\n", ev.Phase)
		}
	}
}
