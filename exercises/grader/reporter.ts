import type {
  FullConfig,
  FullResult,
  Reporter,
  TestCase,
  TestError,
  TestResult,
  TestStep,
} from '@playwright/test/reporter';
import { loadExercise } from './exercise.js';
import { writeReports } from './reports.js';
import { type HintLevel, isHintLevel, type TestOutcome } from './score.js';
import { sourceOfCall } from './test-code.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are control characters
const ANSI = /\u001b\[[0-9;]*m/g;

/** The hint of a failed test: the first line of its error, or what it was waiting for when time ran out. */
export function hintOf(result: TestResult, timeoutMs: number): string {
  if (result.status === 'timedOut') {
    const waiting = lastStep(result.steps);
    return `no answer within ${timeoutMs / 1000} s, the time limit of each check${waiting ? ` (waiting for ${waiting})` : ''}`;
  }
  const error = result.error?.message ?? result.error?.value ?? 'failed';
  const first = error.replace(ANSI, '').trim().split('\n')[0] ?? 'failed';
  return first.replace(/^\w*Error: /, '');
}

/** The calls the learner's services made during a failed check, as the `callsMeanwhile` fixture annotated them. */
function withCalls(hint: string, result: TestResult): string {
  const calls = result.annotations.find((a) => a.type === 'calls')?.description;
  return calls ? `${hint}; meanwhile your service called: ${calls}` : hint;
}

/** Paths inside the implementation, as the learner reads them in their own folder: relative to it. */
export function relativeTo(text: string, dir: string): string {
  if (!dir) return text;
  const root = dir.endsWith('/') ? dir : `${dir}/`;
  return text.split(root).join('');
}

function lastStep(steps: TestStep[]): string | undefined {
  const step = steps.filter((s) => s.category === 'test.step').at(-1);
  return step ? (lastStep(step.steps) ?? step.title) : undefined;
}

const taskOf = (test: TestCase) => Number(test.annotations.find((a) => a.type === 'task')?.description);

/** The prefix of a progress line: `grade-progress {...}`, one per test begun or ended. */
export const PROGRESS = 'grade-progress ';

/**
 * With GRADE_PROGRESS=1 (the playground's "Check my work" sets it), a line per test as it begins and ends, so that
 * tasks tick in live; the final scores are the reports'.
 */
function progress(line: Record<string, unknown>) {
  if (process.env.GRADE_PROGRESS === '1') console.log(`${PROGRESS}${JSON.stringify(line)}`);
}

/**
 * Playwright reporter of `npm run grade`: scores each task of the exercise, writes results.json (Exercism v3) and
 * gradescope.json into GRADE_OUT, and prints the table of points with a hint under each task that lost them.
 */
export default class GradeReporter implements Reporter {
  private readonly tests: TestOutcome[] = [];
  private readonly seconds = new Map<number, number>();
  private readonly errors: string[] = [];
  private timeoutMs = 0;

  printsToStdio() {
    return true;
  }

  onBegin(config: FullConfig) {
    this.timeoutMs = config.projects[0]?.timeout ?? 0;
  }

  onTestBegin(test: TestCase) {
    progress({ event: 'begin', task: taskOf(test), test: test.title });
  }

  onTestEnd(test: TestCase, result: TestResult) {
    const task = taskOf(test);
    const passed = result.status === 'passed';
    const hint = passed ? null : withCalls(hintOf(result, this.timeoutMs), result);
    progress({
      event: 'end',
      task,
      test: test.title,
      passed,
      hint: hint === null ? null : relativeTo(hint, process.env.GRADE_IMPL ?? ''),
      ended: new Date().toISOString(),
    });
    this.tests.push({
      name: test.titlePath().at(-2) ? `${test.titlePath().at(-2)}: ${test.title}` : test.title,
      status: passed ? 'pass' : result.status === 'failed' || result.status === 'timedOut' ? 'fail' : 'error',
      message: hint === null ? null : relativeTo(hint, process.env.GRADE_IMPL ?? ''),
      test_code: sourceOfCall(test.location.file, test.location.line, test.location.column),
      task_id: task,
    });
    this.seconds.set(task, (this.seconds.get(task) ?? 0) + result.duration / 1000);
  }

  onError(error: TestError) {
    this.errors.push(
      (error.message ?? error.value ?? 'unknown error').replace(ANSI, '').split('\n')[0] ?? '',
    );
  }

  onEnd(result: FullResult) {
    const exercise = loadExercise(process.env.GRADE_EXERCISE ?? '');
    const error =
      this.errors[0] ??
      (result.status === 'timedout' ? 'grading took longer than its overall time limit' : undefined);
    const table = writeReports(process.env.GRADE_OUT ?? 'grade-report', exercise.config, this.tests, {
      error,
      hints: isHintLevel(process.env.GRADE_HINTS ?? '') ? (process.env.GRADE_HINTS as HintLevel) : 'full',
      seconds: this.seconds,
    });
    console.log(['', ...table, ''].join('\n'));
  }
}
