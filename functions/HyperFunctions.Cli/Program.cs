using HyperFunctions.Cli;

return HfCli.Run(args, CliContext.FromProcess());
