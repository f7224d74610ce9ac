// Terminate Box user and group sessions as code, recorded in Pulumi state.
package box
