package tui

import "charm.land/bubbles/v2/key"

// GlobalKeys work on every screen.
type GlobalKeys struct {
	Quit, Back, Help, Stats key.Binding
}

func defaultGlobalKeys() GlobalKeys {
	return GlobalKeys{
		Quit:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Back:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Help:  key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Stats: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "stats")),
	}
}

// HomeKeys are the course map's keys.
type HomeKeys struct {
	Up, Down, Top, Bottom, Open, Filter, Reviews, Stats, Quit key.Binding
}

func defaultHomeKeys() HomeKeys {
	return HomeKeys{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		Bottom:  key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last")),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Reviews: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "due reviews")),
		Stats:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "stats")),
		Quit:    key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
	}
}

// LessonKeys are the lesson reader's keys.
type LessonKeys struct {
	Down, Up, PageDown, PageUp, Top, Bottom, Next, Prev, Quiz, Exercise key.Binding
}

func defaultLessonKeys() LessonKeys {
	return LessonKeys{
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "space", "f"), key.WithHelp("space", "page down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("b", "page up")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "end")),
		Next:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next lesson")),
		Prev:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "previous")),
		Quiz:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "take quiz")),
		Exercise: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "exercise")),
	}
}

// QuizKeys are the quiz screen's keys; which are enabled depends on the question and state.
type QuizKeys struct {
	Up, Down, Toggle, MoveUp, MoveDown, Submit, Hint, Next, Pick key.Binding
}

func defaultQuizKeys() QuizKeys {
	return QuizKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Pick:     key.NewBinding(key.WithKeys("a", "b", "c", "d", "e", "f", "1", "2", "3", "4", "5", "6"), key.WithHelp("a-f/1-6", "choose")),
		Toggle:   key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", "toggle")),
		MoveUp:   key.NewBinding(key.WithKeys("K", "shift+up", "["), key.WithHelp("K/[", "move item up")),
		MoveDown: key.NewBinding(key.WithKeys("J", "shift+down", "]"), key.WithHelp("J/]", "move item down")),
		Submit:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "answer")),
		Hint:     key.NewBinding(key.WithKeys("h", "ctrl+h"), key.WithHelp("h", "hint")),
		Next:     key.NewBinding(key.WithKeys("enter", "n"), key.WithHelp("enter", "next")),
	}
}

// ExerciseKeys are the exercise screen's keys.
type ExerciseKeys struct {
	Edit, Check, Watch, Hint, Solution, Reset, Yes, No, Down, Up, Next key.Binding
}

func defaultExerciseKeys() ExerciseKeys {
	return ExerciseKeys{
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Check:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check")),
		Watch:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "watch mode")),
		Hint:     key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "hint")),
		Solution: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "solution")),
		Reset:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "reset to starter")),
		Next:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next")),
		Yes:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, reset")),
		No:       key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "keep mine")),
		Down:     key.NewBinding(key.WithKeys("down", "j", "pgdown", "space"), key.WithHelp("↓/j", "scroll")),
		Up:       key.NewBinding(key.WithKeys("up", "k", "pgup"), key.WithHelp("↑/k", "scroll up")),
	}
}

// StatsKeys are the stats screen's keys.
type StatsKeys struct {
	Down, Up key.Binding
}

func defaultStatsKeys() StatsKeys {
	return StatsKeys{
		Down: key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll")),
		Up:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
	}
}

// KeyMap gathers every screen's bindings; Common carries it.
type KeyMap struct {
	Global   GlobalKeys
	Home     HomeKeys
	Lesson   LessonKeys
	Quiz     QuizKeys
	Exercise ExerciseKeys
	Stats    StatsKeys
}

// DefaultKeyMap is the app's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{Global: defaultGlobalKeys(), Home: defaultHomeKeys(), Lesson: defaultLessonKeys(),
		Quiz: defaultQuizKeys(), Exercise: defaultExerciseKeys(), Stats: defaultStatsKeys()}
}

// bindings is a help.KeyMap from a short list and full groups.
type bindings struct {
	short []key.Binding
	full  [][]key.Binding
}

func (b bindings) ShortHelp() []key.Binding  { return b.short }
func (b bindings) FullHelp() [][]key.Binding { return b.full }
