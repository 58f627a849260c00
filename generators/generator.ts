import type { ActionType, PromptQuestion } from 'node-plop';

export type Answers = Record<string, unknown>;

/** What a generator decided to do, before anything is written. */
export interface Plan {
  /** The one service folder the generator writes into, relative to the project root. */
  folder: string;
  /** Handlebars data for the templates. */
  data: Answers;
  /** node-plop actions, with paths relative to the service folder. */
  actions: ActionType[];
  /** One line for the user: what was made. */
  summary: string;
  /** Commands worth running next. */
  next: string[];
  /**
   * What `npm run generate remove` names this run by in the service's `generated.json` (`service`,
   * `resource parcel`, `call user`); a plan without it (an exercise) keeps no record.
   */
  record?: string;
}

export interface Context {
  /** The project: holds `services/`. */
  root: string;
  /** Overwrite files the generator creates (inserted lines are never duplicated). */
  force: boolean;
}

/** One generator: its prompts for plop's menu, its command-line form, and its plan. */
export interface Generator {
  name: string;
  description: string;
  /** The command-line form after `npm run generate`, e.g. `service -- <name> <port>`. */
  usage: string;
  prompts(root: string): PromptQuestion[];
  /** Positional arguments to answers; never prompts. */
  fromArgs(args: string[]): Answers;
  /** Checks everything it can before a file is touched, and refuses with a `GeneratorError`. */
  plan(answers: Answers, context: Context): Promise<Plan>;
}
