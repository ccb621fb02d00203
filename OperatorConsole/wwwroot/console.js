// Starts the page's circuit over one WebSocket, without the negotiation request that would come before it: behind a
// proxy that spreads connections among several instances of the console (./run.sh --replicas N, a deployment's pods),
// the negotiation and the socket could reach two different instances, and the circuit would not start.
Blazor.start({
  circuit: {
    configureSignalR: builder => builder.withUrl('_blazor', { skipNegotiation: true, transport: 1 }),
  },
});
