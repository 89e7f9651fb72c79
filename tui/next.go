package tui

import "github.com/stagecraft/stagecraft/lessons"

// place is one stop on the course's path: a lesson or an exercise.
type place struct {
	lesson    bool
	id, title string
}

// openNextMsg asks the root to replace the current screen with what follows from in the course.
type openNextMsg struct{ From string }

// nextAfter is what follows id (a lesson or an exercise) in the order the map lists them: a
// lesson's exercises, then the next lesson.
func nextAfter(c *lessons.Course, id string) (place, bool) {
	if c == nil {
		return place{}, false
	}
	var path []place
	for _, m := range c.Modules {
		for _, l := range m.Lessons {
			path = append(path, place{lesson: true, id: l.ID, title: l.Title})
			for _, e := range c.ExercisesForLesson(l.ID) {
				path = append(path, place{id: e.ID, title: e.Title})
			}
		}
	}
	for i, p := range path {
		if p.id == id && i+1 < len(path) {
			return path[i+1], true
		}
	}
	return place{}, false
}
