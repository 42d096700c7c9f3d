using HyperFunctions.Cli;

return await HfCli.RunAsync(args, CliContext.FromProcess());
