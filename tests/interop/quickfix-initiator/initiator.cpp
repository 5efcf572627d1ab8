// A FIX 4.4 initiator built on QuickFIX (the C++ engine, Debian package libquickfix-dev), used as
// an independent peer for BackOffice's FIX acceptor in the interoperability tests.
//
//   fix-initiator CONFIG SCRIPT
//
// CONFIG is a QuickFIX session settings file. SCRIPT has one command per line:
//   logon            start the session and wait until the acceptor accepts the logon
//   send T=V|T=V...  send an application message (MsgType 35 first); sent now when logged on,
//                    else stored by QuickFIX with its sequence number and sent on resend
//   sync ID          send a TestRequest(112=ID) and wait for the Heartbeat answering it: every
//                    message sent before has then been processed by the acceptor
//   logout           log out cleanly and wait for the logout
//   drop             close the connection without a logout (a network failure)
//   wait-disconnect  wait until the acceptor closes the connection (it was killed), then stop
//   # ...            a comment
// Everything the session sees is printed on standard output, one event per line. The exit status
// is 0 when the script ran to its end, 1 on a timeout or error.

#include <quickfix/Application.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Message.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace
{
class Peer : public FIX::Application
{
public:
  void onCreate( const FIX::SessionID& id ) override { sessionId = id; }

  void onLogon( const FIX::SessionID& ) override
  {
    std::lock_guard<std::mutex> lock( mutex );
    loggedOn = true;
    std::cout << "LOGON" << std::endl;
    changed.notify_all();
  }

  void onLogout( const FIX::SessionID& ) override
  {
    std::lock_guard<std::mutex> lock( mutex );
    loggedOn = false;
    std::cout << "LOGOUT" << std::endl;
    changed.notify_all();
  }

  void toAdmin( FIX::Message& message, const FIX::SessionID& ) override
  {
    std::cout << "SENT-ADMIN " << printable( message ) << std::endl;
  }

  void toApp( FIX::Message& message, const FIX::SessionID& ) throw( FIX::DoNotSend ) override
  {
    std::cout << "SENT-APP " << printable( message ) << std::endl;
  }

  void fromAdmin( const FIX::Message& message, const FIX::SessionID& )
  throw( FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon ) override
  {
    std::cout << "RECEIVED-ADMIN " << printable( message ) << std::endl;
    FIX::MsgType type;
    message.getHeader().getField( type );
    if ( type == FIX::MsgType_Heartbeat && message.isSetField( FIX::FIELD::TestReqID ) )
    {
      std::lock_guard<std::mutex> lock( mutex );
      answered.insert( message.getField( FIX::FIELD::TestReqID ) );
      changed.notify_all();
    }
  }

  void fromApp( const FIX::Message& message, const FIX::SessionID& )
  throw( FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType ) override
  {
    std::cout << "RECEIVED-APP " << printable( message ) << std::endl;
  }

  bool waitFor( bool wantLoggedOn )
  {
    std::unique_lock<std::mutex> lock( mutex );
    return changed.wait_for( lock, std::chrono::seconds( 30 ), [&] { return loggedOn == wantLoggedOn; } );
  }

  bool waitForAnswer( const std::string& id )
  {
    std::unique_lock<std::mutex> lock( mutex );
    return changed.wait_for( lock, std::chrono::seconds( 30 ), [&] { return answered.count( id ) > 0; } );
  }

  FIX::SessionID sessionId;

private:
  static std::string printable( const FIX::Message& message )
  {
    std::string text = message.toString();
    for ( char& c : text )
      if ( c == '\001' ) c = '|';
    return text;
  }

  std::mutex mutex;
  std::condition_variable changed;
  bool loggedOn = false;
  std::set<std::string> answered;
};

// "35=8|17=E1|..." -> a message whose header carries MsgType and the session's comp ids.
// A Parties block is written as 453=N followed by 448/447/452 for each party; it becomes a
// repeating group (QuickFIX orders plain body fields by tag number, which would break the group).
FIX::Message build( const std::string& line )
{
  FIX::Message message;
  std::stringstream fields( line );
  std::string field;
  int party = -1;
  std::vector<FIX::Group> parties;
  while ( std::getline( fields, field, '|' ) )
  {
    std::string::size_type equals = field.find( '=' );
    if ( equals == std::string::npos ) continue;
    int tag = std::stoi( field.substr( 0, equals ) );
    std::string value = field.substr( equals + 1 );
    if ( tag == FIX::FIELD::NoPartyIDs ) continue;
    if ( tag == FIX::FIELD::PartyID )
    {
      parties.emplace_back( FIX::FIELD::NoPartyIDs, FIX::FIELD::PartyID );
      party = static_cast<int>( parties.size() ) - 1;
      parties[ party ].setField( tag, value );
    }
    else if ( party >= 0 && ( tag == FIX::FIELD::PartyIDSource || tag == FIX::FIELD::PartyRole ) )
      parties[ party ].setField( tag, value );
    else if ( tag == FIX::FIELD::MsgType || tag == FIX::FIELD::PossDupFlag || tag == FIX::FIELD::OrigSendingTime )
      message.getHeader().setField( tag, value );
    else
      message.setField( tag, value );
  }
  for ( FIX::Group& group : parties )
    message.addGroup( group );
  return message;
}
} // namespace

int main( int argc, char** argv )
{
  if ( argc != 3 )
  {
    std::cerr << "usage: fix-initiator CONFIG SCRIPT" << std::endl;
    return 2;
  }
  try
  {
    FIX::SessionSettings settings( argv[ 1 ] );
    Peer peer;
    FIX::FileStoreFactory store( settings );
    FIX::FileLogFactory log( settings );
    FIX::SocketInitiator initiator( peer, store, settings, log );
    std::ifstream script( argv[ 2 ] );
    std::string line;
    bool started = false;
    while ( std::getline( script, line ) )
    {
      if ( line.empty() || line[ 0 ] == '#' ) continue;
      std::cout << "STEP " << line << std::endl;
      if ( line == "logon" )
      {
        if ( !started ) { initiator.start(); started = true; }
        if ( !peer.waitFor( true ) ) { std::cerr << "timeout waiting for logon" << std::endl; return 1; }
      }
      else if ( line.rfind( "send ", 0 ) == 0 )
      {
        FIX::Message message = build( line.substr( 5 ) );
        if ( !started )
        {
          // Not connected yet: QuickFIX stores the message under its sequence number; it reaches
          // the acceptor when the acceptor asks for the gap to be resent.
          FIX::Session* session = FIX::Session::lookupSession( peer.sessionId );
          if ( session == nullptr ) { std::cerr << "no session" << std::endl; return 1; }
          session->send( message );
        }
        else
        {
          FIX::Session::sendToTarget( message, peer.sessionId );
        }
      }
      else if ( line.rfind( "sync ", 0 ) == 0 )
      {
        std::string id = line.substr( 5 );
        FIX::Message request;
        request.getHeader().setField( FIX::MsgType( FIX::MsgType_TestRequest ) );
        request.setField( FIX::TestReqID( id ) );
        FIX::Session::sendToTarget( request, peer.sessionId );
        if ( !peer.waitForAnswer( id ) ) { std::cerr << "timeout waiting for heartbeat " << id << std::endl; return 1; }
      }
      else if ( line == "wait-disconnect" )
      {
        // The acceptor goes away (killed by the test): wait until QuickFIX notices, then stop.
        if ( !peer.waitFor( false ) ) { std::cerr << "timeout waiting for the disconnect" << std::endl; return 1; }
        initiator.stop( true );
        started = false;
      }
      else if ( line == "logout" )
      {
        initiator.stop();
        started = false;
      }
      else if ( line == "drop" )
      {
        FIX::Session* session = FIX::Session::lookupSession( peer.sessionId );
        if ( session != nullptr ) session->disconnect();
        initiator.stop( true );
        started = false;
      }
      else
      {
        std::cerr << "unknown command: " << line << std::endl;
        return 1;
      }
    }
    if ( started ) initiator.stop();
    std::cout << "DONE" << std::endl;
    return 0;
  }
  catch ( std::exception& e )
  {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
}
