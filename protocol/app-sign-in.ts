import * as z from 'zod';
import { verifiedIdentitySchema } from './signaling-messages';

/**
 * The desktop app's technician sign-in (RFC 8252: the system browser, a loopback redirect, PKCE): what the app sends
 * the signaling server and what it answers. The server's /auth/app/* routes and main's sign-in service both parse
 * with these.
 */

/** How long a one-time code lives between the browser's redirect to the app and the app's exchange. */
export const APP_CODE_TTL_MS = 60_000;

const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/);

/**
 * Where the browser goes back to the app: plain http to a loopback IP literal with an explicit port (RFC 8252 §7.3;
 * not `localhost`, which a hosts file or DNS could send elsewhere), no credentials and no fragment. Anything else
 * would let a web page collect a code meant for the app.
 */
export const loopbackRedirectSchema = z
  .string()
  .max(200)
  .refine((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    return (
      url.protocol === 'http:' &&
      (url.hostname === '127.0.0.1' || url.hostname === '[::1]') &&
      url.port !== '' &&
      !url.username &&
      !url.password &&
      !url.hash &&
      !url.search
    );
  }, 'redirect_uri must be http://127.0.0.1:<port>/… or http://[::1]:<port>/…');

/** `GET /auth/app/login?…`: the app's side of the flow, kept in the sealed login cookie until the callback. */
export const appLoginQuerySchema = z.strictObject({
  redirect_uri: loopbackRedirectSchema,
  state: base64url(22, 128),
  // S256 of a 43–128 character verifier: 43 base64url characters.
  code_challenge: base64url(43, 43),
  code_challenge_method: z.literal('S256'),
});
export type AppLoginQuery = z.infer<typeof appLoginQuerySchema>;

/** The loopback redirect's query: the one-time code and the app's own state back. */
export const appRedirectQuerySchema = z.strictObject({ code: base64url(32, 64), state: base64url(22, 128) });

/** `POST /auth/app/token` (JSON): the code with the verifier only the app knows. */
export const appTokenRequestSchema = z.strictObject({
  code: base64url(32, 64),
  code_verifier: base64url(43, 128),
  state: base64url(22, 128),
  redirect_uri: loopbackRedirectSchema,
});
export type AppTokenRequest = z.infer<typeof appTokenRequestSchema>;

/** Who the credential names, as the app shows it; never a token. */
export const appTechnicianSchema = verifiedIdentitySchema.extend({ admin: z.boolean() });
export type AppTechnician = z.infer<typeof appTechnicianSchema>;

/**
 * The exchange's answer and `GET /auth/app/me`'s (`credential` there only when it was renewed). The credential is
 * opaque to the app (sealed by the server); it goes in `Authorization: Bearer …` and never in a URL. `refreshAt`:
 * epoch ms after which the app asks /auth/app/me again before connecting (the provider's access token expired).
 */
export const appSessionSchema = z.strictObject({
  technician: appTechnicianSchema,
  credential: z.string().max(8192).optional(),
  expiresAt: z.number().int(),
  refreshAt: z.number().int().optional(),
});
export type AppSession = z.infer<typeof appSessionSchema>;

/** Refusals of the app routes: OAuth's own error codes (RFC 6749 §5.2). */
export const appErrorSchema = z.strictObject({
  error: z.enum(['invalid_request', 'invalid_grant', 'invalid_token']),
  error_description: z.string().max(200),
});
export type AppError = z.infer<typeof appErrorSchema>;

/** What the app's technician UI is told (over IPC): whether its server offers sign-in, and who is signed in. */
export const technicianStatusSchema = z.strictObject({ enabled: z.boolean(), technician: appTechnicianSchema.nullable() });
export type TechnicianStatus = z.infer<typeof technicianStatusSchema>;
