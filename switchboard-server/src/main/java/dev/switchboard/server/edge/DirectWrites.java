package dev.switchboard.server.edge;

import dev.switchboard.server.engine.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import java.io.IOException;

/**
 * Bytes sent straight to a socket's file descriptor, past Netty's outbound buffer: one send(2) with no view,
 * outbound-buffer entry, promise or flush bookkeeping. {@link NettyPeer} decides when it applies (a plain
 * epoll/io_uring socket with nothing queued); this class only sends, and hands what the socket did not take back
 * to Netty, which then waits for the socket to become writable again. Stateless: no object per socket.
 */
final class DirectWrites {
    /**
     * A socket's descriptor is written with send(2): the kernel skips write(2)'s file layer (vfs_write, its checks
     * and fsnotify), 4-14 % less CPU per delivery at 10k sockets (docs/performance.md, section 8).
     * {@code -Dswitchboard.directSyscall=write} goes back to write(2), to compare.
     */
    private static final boolean SEND = !"write".equals(System.getProperty("switchboard.directSyscall"));

    private DirectWrites() {}

    /**
     * How many bytes of {@code [address, address + length)} the socket took; 0 on an error, which Netty's own write
     * of the rest then meets and closes the channel its usual way.
     */
    static int write(FileDescriptor fd, long address, int length) {
        try {
            return SEND && fd instanceof Socket socket ? socket.sendAddress(address, 0, length)
                    : fd.writeAddress(address, 0, length);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * A frame sent at once with nothing queued before it (connection_established, signin_success, a subscription's
     * answer: most of what a connecting client is sent): encoded into the event loop's scratch buffer and sent from
     * there, as a held frame is sent at the flush, but without making the frame's shared direct buffer, which only a
     * fan-out to many sockets pays back. False when the frame does not fit the scratch buffer: then the usual way
     * sends it. On the channel's event loop, with nothing queued and the descriptor open.
     */
    static boolean sendAlone(Channel channel, FileDescriptor fd, Frame frame) {
        ByteBuf scratch = ServerFrames.scratchText(frame.bytes());
        if (scratch == null) {
            return false;
        }
        int length = scratch.readableBytes();
        int n = write(fd, scratch.memoryAddress() + scratch.readerIndex(), length);
        if (n == length) {
            return true;
        }
        // The socket took part of the frame (or none): the rest, copied out of the scratch buffer before anything
        // else can use it, goes the usual way, and Netty waits for the socket to become writable again.
        ChannelHandlerContext head = channel.pipeline().firstContext();
        if (head != null) {
            head.write(channel.alloc().directBuffer(length - n).writeBytes(scratch, n, length - n),
                    channel.voidPromise());
            head.flush();
        }
        return true;
    }
}
