throw new Error("this import worker cannot start");
