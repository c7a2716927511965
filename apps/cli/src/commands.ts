// The CLI's commands and options as data: argument parsing, `--help` and docs/cli.md all come from here.

export interface OptionSpec {
  name: string;
  type: "string" | "boolean";
  /** The value's placeholder in help, for string options. */
  value?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  /** What follows `waybill <name>` in the usage line. */
  arguments: string;
  summary: string;
  /** Paragraphs shown under the usage line. */
  description: string[];
  options: OptionSpec[];
  /** Whether the common options apply. */
  common: boolean;
  /** Common options this command does not take (those only a call to AWS needs). */
  without?: string[];
}

/** Options every command that reaches AWS or reads the repository understands. */
export const commonOptions: OptionSpec[] = [
  {
    name: "region",
    type: "string",
    value: "<region>",
    description: "default home region (overrides waybill.config.yaml)",
  },
  {
    name: "root",
    type: "string",
    value: "<dir>",
    description: "repository root (default: nearest waybill.config.yaml upward, else git root, else .)",
  },
  {
    name: "endpoint-url",
    type: "string",
    value: "<url>",
    description: "EC2 Image Builder endpoint (else AWS_ENDPOINT_URL_IMAGEBUILDER, AWS_ENDPOINT_URL)",
  },
  {
    name: "stack",
    type: "string",
    value: "<name>",
    description: "the managed-by name of this repository's configurations",
  },
  {
    name: "concurrency",
    type: "string",
    value: "<n>",
    description: "requests in flight per region (default 8)",
  },
  { name: "no-color", type: "boolean", description: "plain output without ANSI colours (also NO_COLOR)" },
];

const helpOption: OptionSpec = { name: "help", type: "boolean", description: "show this help" };

export const commands: CommandSpec[] = [
  {
    name: "validate",
    arguments: "[paths...]",
    summary: "check config files without calling AWS",
    description: [
      "Reads the config files (the settings' globs, or the files and directories given) and prints",
      "every diagnostic as `file:line:col: severity code: message`. Exit code: 0 valid, 1 errors.",
    ],
    options: [{ name: "json", type: "boolean", description: "print the diagnostics as JSON" }],
    common: true,
    // validate never calls AWS.
    without: ["endpoint-url", "stack", "concurrency"],
  },
  {
    name: "plan",
    arguments: "[paths...]",
    summary: "show what apply would change",
    description: [
      "Validates the config files, reads live state and prints the plan; with preflight.enabled in",
      "waybill.config.yaml, also preflight's section (see waybill preflight).",
      "Exit code: 0 no changes, 2 changes, 1 error, any conflict or a preflight error. A conflict is a file naming",
      "a configuration Waybill will not touch: unmanaged (--adopt takes it over), managed by",
      "another stack, or an update request whose target does not exist; stderr says what to do.",
    ],
    options: [
      {
        name: "json",
        type: "boolean",
        description: "print the plan as JSON instead of text (with preflight)",
      },
      {
        name: "out",
        type: "string",
        value: "<file>",
        description: "also write the plan as JSON (for apply --plan)",
      },
      {
        name: "markdown",
        type: "string",
        value: "<file>",
        description: "also write the pull-request comment",
      },
      {
        name: "prune",
        type: "boolean",
        description: "plan deletes of managed configurations whose file is gone",
      },
      {
        name: "prune-all",
        type: "boolean",
        description: "files holding no configuration mean: delete the whole stack (implies --prune)",
      },
      {
        name: "adopt",
        type: "boolean",
        description: "plan taking over unmanaged configurations of the same name",
      },
      {
        name: "refresh",
        type: "boolean",
        description: "read every configuration with a Get, trusting no waybill:applied record",
      },
    ],
    common: true,
  },
  {
    name: "preflight",
    arguments: "[paths...]",
    summary: "check in AWS what a build will need (roles, KMS keys, templates, buckets)",
    description: [
      "Resolves the account sets, validates the config files, then reads (never writes) IAM, KMS,",
      "EC2, S3, STS and Organizations to find what would fail only at build time: a target account",
      "without EC2ImageBuilderDistributionCrossAccountRole, a KMS key that does not let a target",
      "account use it, a missing launch template, export bucket or VM import role, a wrong account",
      "or region. Each finding is located in its file, with a hint and the call it rests on. Plans",
      "show the same section when waybill.config.yaml sets preflight.enabled (docs/preflight.md).",
      "Exit code: 0 clean or warnings only, 1 errors (or invalid files).",
    ],
    options: [{ name: "json", type: "boolean", description: "print the findings as JSON" }],
    common: true,
    without: ["stack"],
  },
  {
    name: "apply",
    arguments: "[paths...]",
    summary: "make live state match the config files",
    description: [
      "Plans, shows the plan and asks for confirmation on a terminal (stdin, stdout and stderr; with",
      "stdout piped or redirected it refuses: pass --yes), then applies it. With --plan,",
      "applies a saved plan instead, and refuses if live state changed since it was made or this",
      "run covers other files, paths or regions than the one that made it.",
      "Changes in conflict (see plan) are skipped and the others applied.",
      "Exit code: 0 applied (or nothing to do), 1 error, any failed change or any conflict.",
    ],
    options: [
      { name: "yes", type: "boolean", description: "do not ask for confirmation" },
      { name: "plan", type: "string", value: "<file>", description: "apply a plan saved with plan --out" },
      { name: "prune", type: "boolean", description: "delete managed configurations whose file is gone" },
      {
        name: "prune-all",
        type: "boolean",
        description: "files holding no configuration mean: delete the whole stack (implies --prune)",
      },
      { name: "adopt", type: "boolean", description: "take over unmanaged configurations of the same name" },
      {
        name: "refresh",
        type: "boolean",
        description: "read every configuration with a Get, trusting no waybill:applied record",
      },
      { name: "json", type: "boolean", description: "print the results as JSON" },
    ],
    common: true,
  },
  {
    name: "status",
    arguments: "[paths...]",
    summary: "show where each current image is against where its configuration sends it",
    description: [
      "Reads live state, the image pipelines that use each managed configuration and each",
      "pipeline's latest available image, and prints every target of the configuration as it is",
      "now (region x account, the owner included): present (with the AMI id), missing (added",
      "after the build: `waybill rollout` fills it) or extra (removed since). Reads only.",
      "Exit code: 0 read (whatever the states), 1 error.",
    ],
    options: [
      { name: "json", type: "boolean", description: "print the status as JSON (docs/rollout.md)" },
      {
        name: "html",
        type: "string",
        value: "<file>",
        description: "also write one self-contained page with the coverage grid",
      },
    ],
    common: true,
  },
  {
    name: "rollout",
    arguments: "[paths...]",
    summary: "distribute each current image to the targets it is missing",
    description: [
      "For every missing target (see status), distributes the pipeline's latest available image",
      "there and only there: DistributeImage with a temporary distribution configuration holding",
      "just the missing targets and the real one's settings for them, deleted when done. Needs",
      "rollout.executionRole in waybill.config.yaml. Without --yes prints the rollout plan and",
      "changes nothing. A re-run does only what is still missing (docs/rollout.md).",
      "Exit code: 0 done (or nothing missing), 1 error or any target failed.",
    ],
    options: [
      { name: "yes", type: "boolean", description: "distribute (without it, only the plan is printed)" },
      { name: "json", type: "boolean", description: "print the plan or the results as JSON" },
    ],
    common: true,
  },
  {
    name: "import",
    arguments: "(--region <region> | --from <tool> <source...>) --out <dir>",
    summary: "write existing configurations out as config files",
    description: [
      "From AWS: reads the distribution configurations of one region (or only --name) and writes",
      "each as a YAML config file under --out, so an existing estate can be adopted (apply --adopt).",
      "From another tool (--from cloudformation|terraform|alchemy): reads what that tool manages",
      "and writes the same files; the source is a CloudFormation template (YAML or JSON), the JSON",
      "of `terraform show -json` (state or plan), or Alchemy state files, a state directory or a",
      "props file. Diagnostics point into the source (file:line:col) and say what to give or fix;",
      "a value the source does not hold is never guessed. docs/migrate.md has each tool's cutover.",
      "Existing files are never overwritten. Exit code: 0 all written and valid, 1 any error.",
    ],
    options: [
      {
        name: "from",
        type: "string",
        value: "<tool>",
        description: "import from cloudformation, terraform or alchemy files instead of AWS",
      },
      {
        name: "name",
        type: "string",
        value: "<name>",
        description: "import only the configuration of this name (from AWS)",
      },
      {
        name: "out",
        type: "string",
        value: "<dir>",
        description: "directory to write the files to (required)",
      },
      {
        name: "parameters",
        type: "string",
        value: "<file>",
        description: "cloudformation: parameter values (CLI, CodePipeline or plain-map JSON/YAML)",
      },
      {
        name: "stack-file",
        type: "string",
        value: "<file>",
        description: "cloudformation: describe-stacks and/or describe-stack-resources output",
      },
      {
        name: "account-id",
        type: "string",
        value: "<id>",
        description: "cloudformation: AWS::AccountId when no stack file gives it",
      },
      {
        name: "stack-name",
        type: "string",
        value: "<name>",
        description: "cloudformation: AWS::StackName when no stack file gives it",
      },
    ],
    common: true,
  },
  {
    name: "render",
    arguments: "<template>",
    summary: "preview the AMI name a name template renders to",
    description: [
      "Renders an AMI name template such as 'web {{imagebuilder:buildDate}}' and checks the result.",
    ],
    options: [
      { name: "build-date", type: "string", value: "<iso>", description: "the build date (default: now)" },
      { name: "build-version", type: "string", value: "<n>", description: "the build version (default 1)" },
    ],
    common: false,
  },
  {
    name: "schema",
    arguments: "",
    summary: "print the JSON Schema of config files",
    description: ["Prints the JSON Schema editors use to complete and check config files."],
    options: [],
    common: false,
  },
  {
    name: "emulator",
    arguments: "[options]",
    summary: "run the local EC2 Image Builder emulator",
    description: ["Starts the emulator in the foreground; takes the same options as `pnpm emulator`."],
    options: [],
    common: false,
  },
  {
    name: "demo",
    arguments: "",
    summary: "validate, plan and apply examples/ against an in-process emulator",
    description: [
      "Starts the emulator, then validates, plans and applies the example repository, plans again",
      "(no changes) and writes the pull-request comment it would post. Needs no AWS credentials.",
    ],
    options: [
      {
        name: "example",
        type: "string",
        value: "<dir>",
        description: "example repository (default examples/basic)",
      },
      {
        name: "comment",
        type: "string",
        value: "<file>",
        description: "where to write the comment markdown",
      },
    ],
    common: false,
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((command) => command.name === name);
}

/** Every option a command accepts, help included. */
export function optionsOf(command: CommandSpec): OptionSpec[] {
  return [...command.options, ...commonOptionsOf(command), helpOption];
}

function commonOptionsOf(command: CommandSpec): OptionSpec[] {
  if (!command.common) return [];
  return commonOptions.filter((option) => !command.without?.includes(option.name));
}

function optionLines(options: OptionSpec[]): string[] {
  const labels = options.map((option) => `--${option.name}${option.value ? ` ${option.value}` : ""}`);
  const width = Math.max(...labels.map((label) => label.length)) + 2;
  return options.map((option, index) => `  ${(labels[index] ?? "").padEnd(width)}${option.description}`);
}

/** `waybill <command> --help`. */
export function commandHelp(command: CommandSpec): string {
  const lines = [
    `Usage: waybill ${command.name}${command.arguments ? ` ${command.arguments}` : ""}${command.options.length > 0 || command.common ? " [options]" : ""}`,
    "",
    ...command.description,
  ];
  if (command.options.length > 0)
    lines.push("", "Options:", ...optionLines([...command.options, helpOption]));
  else lines.push("", "Options:", ...optionLines([helpOption]));
  if (command.common) lines.push("", "Common options:", ...optionLines(commonOptionsOf(command)));
  return `${lines.join("\n")}\n`;
}

/** `waybill --help`. */
export function mainHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 2;
  return [
    "Usage: waybill <command> [options]",
    "",
    "EC2 Image Builder distribution configurations as code.",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    "",
    "Run `waybill <command> --help` for a command's options; `waybill --version` prints the version.",
    "",
  ].join("\n");
}

/**
 * docs/cli.md: the help of every command, verbatim (a test keeps the file in step). `ownHelp` gives
 * the help of commands that parse their own options (the emulator's, which this module does not
 * load: a plan never loads the emulator).
 */
export function cliReferenceMarkdown(ownHelp: Readonly<Record<string, string>> = {}): string {
  const sections = commands.map(
    (command) =>
      `## waybill ${command.name}\n\n${command.summary}.\n\n\`\`\`text\n${ownHelp[command.name] ?? commandHelp(command)}\`\`\`\n`,
  );
  return [
    "# The `waybill` CLI",
    "",
    "<!-- Generated from apps/cli/src/commands.ts by `pnpm waybill help --markdown > docs/cli.md`; a test checks it. -->",
    "",
    "Install it with `npm install -g waybill` (or run `npx waybill <command>`; Node.js 20.19 or newer), or",
    "run it from this repository as `pnpm waybill <command>`. Run it anywhere inside the",
    "configuration repository: its root is the nearest directory upward holding `waybill.config.yaml`,",
    "else the git root, else the working directory (or `--root <dir>`). Globs and `waybill:source`",
    "tags are relative to the root; paths you name (files, directories, `--out`, `--plan`) are",
    "relative to where you are.",
    "",
    "```text",
    mainHelp().trimEnd(),
    "```",
    "",
    "Exit codes: 0 success (and, for `plan`, no changes); 1 invalid input, failed changes, any",
    "conflict or any other error; 2 `plan` found changes. A mistake prints one line starting",
    "`waybill:` and never a stack trace; so does each conflict (`waybill: conflict: ...`, saying",
    "what to do: `--adopt` for an unmanaged configuration, another name for one of another stack, a",
    "correct ARN for an update request whose target does not exist). `waybill` alone prints the",
    "help below and exits 1 (it ran no command); `waybill --help` prints it and exits 0. A closed",
    "output pipe (`waybill plan | head -1`) is no error: the rest of the output is dropped, the",
    "command runs to its end and exits with its own code.",
    "",
    "Behind a proxy, AWS requests (Image Builder and preflight's IAM, KMS, EC2, S3, STS and",
    "Organizations) go through the one `HTTPS_PROXY` (https URLs) or `HTTP_PROXY` (http URLs, such as",
    "a local emulator) names, as curl reads them (either case); hosts in `NO_PROXY` (names, domain",
    "suffixes, `host:port`, `*`) are reached directly.",
    "",
    ...sections,
  ].join("\n");
}
