import type { CliCommand } from '../context';
import { creditsCommand, uploadCommand } from './accountCommands';
import { modelCommand, modelsCommand } from './catalogCommands';
import { generateCommand, resumeCommand, tasksCommand } from './engineCommands';
import { simulateCommand } from './simulateCommand';
import { statusCommand, submitCommand } from './taskCommands';

/** Every command of the CLI, in the order `kie-studio help` lists them. */
export const COMMANDS: CliCommand[] = [
  modelsCommand,
  modelCommand,
  creditsCommand,
  uploadCommand,
  submitCommand,
  statusCommand,
  generateCommand,
  tasksCommand,
  resumeCommand,
  simulateCommand,
];
