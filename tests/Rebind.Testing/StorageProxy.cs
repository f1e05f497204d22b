using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Rebind.Testing;

/// <summary>How <see cref="StorageProxy"/> treats connections.</summary>
public enum StorageProxyMode
{
    /// <summary>Bytes flow both ways: storage is up.</summary>
    Forward,

    /// <summary>Open connections are reset and new ones refused, as when the storage process is down.</summary>
    Refuse,

    /// <summary>Connections are accepted (and open ones kept) but nothing is forwarded or answered, as when the
    /// network drops packets: only a timeout ends a request.</summary>
    Hang,
}

/// <summary>
/// A TCP proxy on a free loopback port in front of a storage endpoint, switchable between up, refused and hanging,
/// so a test can take storage away mid-flow without touching the shared Azurite (whose data stays as it was).
/// </summary>
public sealed class StorageProxy : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly string accountPath;
    private readonly ConcurrentDictionary<Connection, byte> connections = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly object gate = new();
    private TcpListener? listener;
    private volatile StorageProxyMode mode = StorageProxyMode.Forward;

    private StorageProxy(Uri endpoint, int port)
    {
        target = new IPEndPoint(IPAddress.Parse(endpoint.Host == "localhost" ? "127.0.0.1" : endpoint.Host), endpoint.Port);
        accountPath = endpoint.AbsolutePath.TrimEnd('/');
        Port = port;
    }

    /// <summary>The proxy's loopback port.</summary>
    public int Port { get; }

    /// <summary>The proxied endpoint (the table service's, unless started for another) through the proxy.</summary>
    public Uri TableEndpoint => new($"http://127.0.0.1:{Port}{accountPath}");

    /// <summary>A connection string for the storage behind the proxy, through it.</summary>
    public string ConnectionString => Azurite.For(TableEndpoint);

    public StorageProxyMode Mode => mode;

    /// <summary>Starts a proxy in front of <paramref name="tableEndpoint"/> (default: the tests' Azurite), forwarding.</summary>
    public static StorageProxy Start(Uri? tableEndpoint = null)
    {
        var proxy = new StorageProxy(tableEndpoint ?? Azurite.TableEndpoint, Azurite.FreePort());
        proxy.Listen();
        return proxy;
    }

    /// <summary>
    /// Proxies in front of the tests' Azurite's blob, queue and table services, switched together: what the Durable
    /// Task backend needs besides the app's tables, taken away all at once as an outage of the storage account would.
    /// </summary>
    public static StorageAccountProxy StartAll() => new(
        [.. new[] { "BlobEndpoint", "QueueEndpoint", "TableEndpoint" }.Select(name => Start(Azurite.Endpoint(name)))]);

    /// <summary>Switches the mode; open connections follow at once (reset when refusing, stalled when hanging).</summary>
    public void Set(StorageProxyMode value)
    {
        lock (gate)
        {
            mode = value;
            if (value == StorageProxyMode.Hang)
            {
                // Packets lost in a dead network are never delivered later: what was open stays dead for good.
                foreach (var connection in connections.Keys)
                {
                    connection.Doomed = true;
                }
            }
            if (value == StorageProxyMode.Forward)
            {
                // The path is back, and what a hang doomed is cut now, all at once: the server's answer to anything more
                // on those connections is a reset. Left to the next read (idle ones) or the next 20 ms poll (stalled ones),
                // a request made just after the switch could go out on one of them before the reset arrived.
                foreach (var connection in connections.Keys.Where(c => c.Doomed))
                {
                    connection.Reset();
                }
            }
            if (value == StorageProxyMode.Refuse)
            {
                listener?.Stop();
                listener = null;
                foreach (var connection in connections.Keys)
                {
                    connection.Reset();
                }
            }
            else if (listener is null)
            {
                Listen();
            }
        }
    }

    private void Listen()
    {
        var l = new TcpListener(IPAddress.Loopback, Port);
        l.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        l.Start();
        listener = l;
        _ = AcceptAsync(l);
    }

    private async Task AcceptAsync(TcpListener l)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await l.AcceptSocketAsync(stopping.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return; // stopped: refusing, or disposed
            }
            var connection = new Connection(this, client);
            connections[connection] = 0;
            connection.Doomed = mode == StorageProxyMode.Hang;
            _ = connection.RunAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        lock (gate)
        {
            listener?.Stop();
            listener = null;
        }
        foreach (var connection in connections.Keys)
        {
            connection.Reset();
        }
        stopping.Dispose();
    }

    private sealed class Connection(StorageProxy proxy, Socket client)
    {
        private Socket? server;

        /// <summary>Touched by a hang: it forwards nothing more and is reset once the hang ends.</summary>
        public volatile bool Doomed;

        public async Task RunAsync()
        {
            try
            {
                // A hanging proxy accepts but never connects on: the request waits for an answer that never comes.
                await WaitForwardingAsync();

                server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await server.ConnectAsync(proxy.target, proxy.stopping.Token);
                await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
            {
            }
            finally
            {
                Reset();
                proxy.connections.TryRemove(this, out _);
            }
        }

        /// <summary>Closes both sides at once (RST), as a dying server would.</summary>
        public void Reset()
        {
            foreach (var socket in new[] { client, server })
            {
                try
                {
                    socket?.Close(0);
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }

        private async Task WaitForwardingAsync()
        {
            while (proxy.mode == StorageProxyMode.Hang)
            {
                await Task.Delay(20, proxy.stopping.Token);
            }
            if (Doomed || proxy.mode == StorageProxyMode.Refuse)
            {
                throw new OperationCanceledException();
            }
        }

        private async Task PumpAsync(Socket from, Socket to)
        {
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, proxy.stopping.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                // While hanging, bytes are held back (not lost): the connection stalls like a dead network path.
                await WaitForwardingAsync();
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, proxy.stopping.Token);
            }
        }
    }
}

/// <summary>The three proxies of <see cref="StorageProxy.StartAll"/>: one connection string, one switch.</summary>
public sealed class StorageAccountProxy(IReadOnlyList<StorageProxy> proxies) : IAsyncDisposable
{
    /// <summary>A connection string naming the blob, queue and table endpoints through the proxies.</summary>
    public string ConnectionString => Azurite.For(proxies[0].Port, proxies[1].Port, proxies[2].Port);

    public void Set(StorageProxyMode mode)
    {
        foreach (var proxy in proxies)
        {
            proxy.Set(mode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in proxies)
        {
            await proxy.DisposeAsync();
        }
    }
}
