package main

import (
	"errors"
	"io/fs"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/study"
)

// exercisePlan loads the course and plans a check of its exercise id (study.Service.ExercisePlan).
func exercisePlan(g *globalOptions, id string) (*check.Plan, error) {
	course, err := loadCourse(g)
	if err != nil {
		return nil, err
	}
	dir, _ := cacheDir()
	return planErr(study.New(study.Config{Course: course, CacheDir: dir}).ExercisePlan(id))
}

// planFor plans a check of an exercise of the course files fsys (study.PlanExercise).
func planFor(fsys fs.FS, ex *lessons.Exercise) (*check.Plan, error) {
	dir, _ := cacheDir()
	return planErr(study.PlanExercise(fsys, ex, dir))
}

// planErr makes an exercise the course cannot plan (unknown, its files missing) bad input.
func planErr(p *check.Plan, err error) (*check.Plan, error) {
	var in *study.InputError
	if errors.As(err, &in) {
		return nil, usageErr("%v", in)
	}
	return p, err
}
