// simple-peer and its readable-stream dependency expect Node's globals; esbuild injects these browser builds.
import { Buffer } from 'buffer';
import process from 'process';

export { Buffer, process };
