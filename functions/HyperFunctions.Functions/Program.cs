return await HyperFunctions.Functions.HyperFunctionsApp.RunAsync(args);
