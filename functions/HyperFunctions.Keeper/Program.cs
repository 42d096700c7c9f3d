return await HyperFunctions.Keeper.KeeperApp.RunAsync(args);
